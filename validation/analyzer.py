"""
Facts about Python files, from CPython itself, for the TypeScript validator (validation/).

The verdict on syntax is CPython's own `compile()`, so it reports exactly what the runner's Python
would. The same compiled code objects give, almost for free, every imported module (IMPORT_NAME in
the bytecode) and every name used (co_names). Only the entry file (app detection) and files whose
names look suspicious are parsed into an AST, whose construction costs more than compiling.

Run as a worker it reads one JSON request per line on stdin, {"id", "files": [{"path", "source",
"entry"}]}, and writes one JSON response per line, {"id", "results": [facts, ...]}. The pyodide engine
imports this module and calls analyze_batch() instead.
"""
from __future__ import annotations

import ast
import json
import opcode
import sys
from itertools import islice
from types import CodeType
from typing import Any

IMPORT_NAME = opcode.opmap["IMPORT_NAME"]
LOAD_CONST = opcode.opmap["LOAD_CONST"]
LOAD_GLOBAL = opcode.opmap["LOAD_GLOBAL"]
LOAD_NAME = opcode.opmap["LOAD_NAME"]
EXTENDED_ARG = opcode.opmap["EXTENDED_ARG"]

# Builtins that escape the app's own code: reported wherever they are referenced, not only called.
BLOCKED_BUILTINS = {"eval", "exec", "compile", "__import__", "input", "breakpoint"}
# Module attributes that start processes, replace the process, or reach every loaded module.
_OS_PROCESS = {"system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp", "startfile",
               "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
               "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"}
# asyncio's ways to start a process are the same escape hatch as subprocess's.
_ASYNCIO_PROCESS = {"create_subprocess_exec", "create_subprocess_shell"}
BLOCKED_ATTRIBUTES = {**{f"os.{n}": n for n in _OS_PROCESS}, **{f"posix.{n}": n for n in _OS_PROCESS},
                      **{f"asyncio.{n}": n for n in _ASYNCIO_PROCESS}, **{f"asyncio.subprocess.{n}": n for n in _ASYNCIO_PROCESS},
                      "sys.modules": "modules", "sys._getframe": "_getframe"}
SENSITIVE_MODULES = {"os", "posix", "sys", "asyncio"}
# Event-loop methods that start processes, whatever object the loop was reached through.
BLOCKED_METHODS = {"subprocess_exec", "subprocess_shell"}
# Attribute names used to climb out of a sandbox (classic `().__class__.__bases__[0].__subclasses__()`).
BLOCKED_DUNDERS = {"__builtins__", "__subclasses__", "__globals__", "__code__", "__closure__",
                   "f_globals", "f_builtins", "f_locals", "gi_frame", "cr_frame", "tb_frame"}

APP_CONSTRUCTORS = {
    "fastapi.FastAPI": "fastapi", "fastapi.applications.FastAPI": "fastapi",
    "fasthtml.FastHTML": "fasthtml", "fasthtml.common.FastHTML": "fasthtml", "fasthtml.core.FastHTML": "fasthtml",
    "fasthtml.fast_app": "fasthtml", "fasthtml.common.fast_app": "fasthtml", "fasthtml.fastapp.fast_app": "fasthtml",
    "starlette.applications.Starlette": "starlette",
}
# What `from X import *` brings in that matters for app detection.
STAR_EXPORTS = {"fastapi": {"FastAPI"}, "fasthtml.common": {"FastHTML", "fast_app"}, "fasthtml": {"FastHTML", "fast_app"}}


class Source:
    """Turns CPython's UTF-8 byte columns into 1-based character columns, decoding a line only if needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None

    def column(self, line: int | None, byte_col: int | None) -> int | None:
        if line is None or byte_col is None or byte_col < 0:
            return None
        if self.text.isascii():
            return byte_col + 1
        if self._lines is None:
            self._lines = self.text.split("\n")
        row = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        return len(row.encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1

    def span(self, line: Any, col: Any, end_line: Any, end_col: Any) -> dict[str, Any]:
        return {"line": line, "column": self.column(line, col), "endLine": end_line, "endColumn": self.column(end_line, end_col)}


def code_objects(code: CodeType) -> list[CodeType]:
    found, stack = [], [code]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(c for c in current.co_consts if isinstance(c, CodeType))
    return found


def _arg(raw: bytes, at: int) -> int:
    """The argument of the instruction at `at`, including preceding EXTENDED_ARGs."""
    value, shift, back = raw[at + 1], 8, at - 2
    while back >= 0 and raw[back] == EXTENDED_ARG:
        value |= raw[back + 1] << shift
        shift += 8
        back -= 2
    return value


def bytecode_imports(codes: list[CodeType], src: Source) -> list[dict[str, Any]]:
    imports = []
    needle = bytes([IMPORT_NAME])
    for code in codes:
        raw = code.co_code
        at = raw.find(needle)
        positions = None
        while at != -1:
            if at % 2 == 0:
                module = code.co_names[_arg(raw, at)]
                level, names = 0, []
                # IMPORT_NAME is preceded by LOAD_CONST level, LOAD_CONST fromlist.
                if at >= 4 and raw[at - 4] == LOAD_CONST and raw[at - 2] == LOAD_CONST:
                    level = code.co_consts[_arg(raw, at - 4)]
                    fromlist = code.co_consts[_arg(raw, at - 2)]
                    names = list(fromlist) if isinstance(fromlist, tuple) else []
                if positions is None:
                    positions = list(code.co_positions())
                line, end_line, col, end_col = positions[at // 2]
                imports.append({"module": module, "level": level if isinstance(level, int) else 0, "names": names,
                                **src.span(line, col, end_line, end_col)})
            at = raw.find(needle, at + 1)
    return imports


def _loads_global(code: CodeType, name: str) -> bool:
    if name not in code.co_names:
        return False
    index = code.co_names.index(name)
    if index >= 128:
        return True  # Needs EXTENDED_ARG: too rare to scan for; let the AST decide.
    raw = code.co_code
    patterns = (bytes([LOAD_GLOBAL, index << 1]), bytes([LOAD_GLOBAL, (index << 1) | 1]), bytes([LOAD_NAME, index]))
    for pattern in patterns:
        at = raw.find(pattern)
        while at != -1:
            if at % 2 == 0:
                return True
            at = raw.find(pattern, at + 1)
    return False


def needs_ast(codes: list[CodeType], imports: list[dict[str, Any]]) -> bool:
    names = set()
    for code in codes:
        names.update(code.co_names)
    if names & BLOCKED_DUNDERS:
        return True
    if any(_loads_global(code, name) for name in names & BLOCKED_BUILTINS for code in codes):
        return True
    if names & BLOCKED_METHODS:
        return True
    imported = {i["module"].split(".")[0] for i in imports}
    attributes = set(BLOCKED_ATTRIBUTES.values())
    return bool(imported & SENSITIVE_MODULES and names & attributes)


class Resolver:
    """Maps local names to what they were imported as, so `o.system` and `s` resolve to `os.system`."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases: dict[str, str] = {}
        self.from_imported: set[str] = set()
        self.defined: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    if alias.name == "*":
                        for name in STAR_EXPORTS.get(node.module, ()):
                            self.aliases.setdefault(name, f"{node.module}.{name}")
                    else:
                        self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                        self.from_imported.add(alias.asname or alias.name)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.defined.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.defined.add(node.id)
            elif isinstance(node, ast.arg):
                self.defined.add(node.arg)

    def qualify(self, node: ast.AST) -> str | None:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.aliases.get(node.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])


def _blocked(qualified: str) -> bool:
    return qualified in BLOCKED_ATTRIBUTES


def references(tree: ast.Module, resolver: Resolver, src: Source) -> list[dict[str, Any]]:
    found = []

    def add(node: ast.AST, name: str, kind: str) -> None:
        found.append({"name": name, "kind": kind, **src.span(getattr(node, "lineno", None), getattr(node, "col_offset", None),
                                                             getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))})

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in BLOCKED_DUNDERS:
                add(node, node.attr, "dunder")
                continue
            qualified = resolver.qualify(node)
            if qualified and _blocked(qualified):
                add(node, qualified, "attribute")
            elif node.attr in BLOCKED_METHODS:
                add(node, f"loop.{node.attr}", "attribute")
        elif isinstance(node, ast.Name):
            if node.id in BLOCKED_DUNDERS:
                add(node, node.id, "dunder")
            elif node.id in resolver.aliases and node.id not in resolver.from_imported:
                continue  # a module alias; attributes of it are checked above
            elif node.id in resolver.from_imported and _blocked(resolver.aliases[node.id]):
                add(node, resolver.aliases[node.id], "attribute")
            elif node.id in BLOCKED_BUILTINS and node.id not in resolver.defined and node.id not in resolver.aliases:
                add(node, node.id, "builtin")
    return found


def _module_level(body: list[ast.stmt]):
    """Module-level statements, looking into if/try/with blocks but not into functions or classes."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (ast.If, ast.Try, ast.With, ast.AsyncWith)):
            blocks = [getattr(stmt, "body", []), getattr(stmt, "orelse", []), getattr(stmt, "finalbody", [])]
            blocks += [h.body for h in getattr(stmt, "handlers", [])]
            for block in reversed(blocks):
                stack.extend(reversed(block))


def _binds_app(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return target.id == "app"
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(isinstance(e, ast.Name) and e.id == "app" for e in target.elts)
    return False


def app_facts(tree: ast.Module, resolver: Resolver, src: Source) -> dict[str, Any]:
    app, candidates = None, []
    for stmt in _module_level(tree.body):
        value, targets, via = None, [], "assign"
        if isinstance(stmt, ast.Assign):
            value, targets = stmt.value, stmt.targets
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            value, targets, via = stmt.value, [stmt.target], "annotated"
        elif isinstance(stmt, ast.ImportFrom) and any((a.asname or a.name) == "app" for a in stmt.names):
            app = app or {"via": "import", "framework": None, **src.span(stmt.lineno, stmt.col_offset, stmt.end_lineno, stmt.end_col_offset)}
            continue
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "create_app":
            app = app or {"via": "factory", "framework": None, **src.span(stmt.lineno, stmt.col_offset, stmt.lineno, stmt.col_offset)}
            continue
        if value is None:
            continue
        callee = resolver.qualify(value.func) if isinstance(value, ast.Call) else None
        framework = APP_CONSTRUCTORS.get(callee or "")
        span = src.span(stmt.lineno, stmt.col_offset, stmt.end_lineno, stmt.end_col_offset)
        if any(_binds_app(t) for t in targets):
            if isinstance(targets[0], (ast.Tuple, ast.List)) and via == "assign":
                via = "tuple"
            app = {"via": via, "framework": framework, "callee": callee, **span}
        elif framework:
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            names += [e.id for t in targets if isinstance(t, (ast.Tuple, ast.List)) for e in t.elts if isinstance(e, ast.Name)]
            if names:
                candidates.append({"name": names[0], "framework": framework, **span})
    return {"app": app, "appCandidates": candidates}


def _segment(src: Source, line: int, end_line: int, col: int, end_col: int) -> str:
    """The source text between two CPython positions (byte columns)."""
    rows = [r.encode("utf-8") for r in src.text.split("\n")[line - 1:end_line]]
    if not rows:
        return ""
    if len(rows) == 1:
        return rows[0][col:end_col].decode("utf-8", "replace")
    rows[0], rows[-1] = rows[0][col:], rows[-1][:end_col]
    return b"\n".join(rows).decode("utf-8", "replace")


def _statement_lines(src: Source, line: int, end_line: int) -> str:
    rows = src.text.split("\n")[line - 1:end_line]
    indent = len(rows[0]) - len(rows[0].lstrip()) if rows else 0
    return "\n".join(r[indent:] if r[:indent].isspace() or not r[:indent] else r for r in rows)


STORE_NAME = opcode.opmap["STORE_NAME"]
CALL = opcode.opmap["CALL"]
IMPORT_FROM = opcode.opmap["IMPORT_FROM"]
MAKE_FUNCTION = opcode.opmap["MAKE_FUNCTION"]
# Between a value's producer and its STORE_NAME: tuple unpacking, chained targets and inline caches.
_SKIP_BACK = {opcode.opmap[n] for n in ("UNPACK_SEQUENCE", "STORE_NAME", "CACHE", "EXTENDED_ARG", "NOP", "COPY")}
_CONSTRUCTOR_LEAVES = {name.rsplit(".", 1)[1] for name in APP_CONSTRUCTORS}


def _stores(code: CodeType, name: str) -> list[int] | None:
    """Offsets of `STORE_NAME name` in `code` (None when the index needs EXTENDED_ARG: let the AST decide)."""
    if name not in code.co_names:
        return []
    index = code.co_names.index(name)
    if index > 255:
        return None
    raw, needle, found = code.co_code, bytes([STORE_NAME, index]), []
    at = raw.find(needle)
    while at != -1:
        if at % 2 == 0:
            found.append(at)
        at = raw.find(needle, at + 1)
    return found


def _producer(raw: bytes, offset: int) -> int:
    back = offset - 2
    while back >= 0 and raw[back] in _SKIP_BACK:
        back -= 2
    return back


def fast_app_facts(module_code: CodeType, imports: list[dict[str, Any]], src: Source) -> dict[str, Any] | None:
    """
    App detection from the module's own bytecode: where `app` is stored, and the call that produced it,
    whose source segment alone is parsed. Imports are re-read from their statements' source so aliases
    resolve. Returns None when anything is unusual; the caller then falls back to the full AST.
    """
    raw = module_code.co_code
    app_stores, factory_stores = _stores(module_code, "app"), _stores(module_code, "create_app")
    if app_stores is None or factory_stores is None:
        return None
    import_source = "\n".join(dict.fromkeys(_statement_lines(src, i["line"], i["endLine"]) for i in imports
                                             if i.get("line") and i.get("endLine")))
    try:
        resolver = Resolver(ast.parse(import_source))
    except SyntaxError:
        return None
    positions = list(module_code.co_positions())

    def callee(call_offset: int) -> str | None | bool:
        line, end_line, col, end_col = positions[call_offset // 2]
        if line is None or col is None:
            return False
        text = _segment(src, line, end_line or line, col, end_col or 0)
        try:
            node = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            return False
        return resolver.qualify(node.func) if isinstance(node, ast.Call) else None

    app = None
    for offset in app_stores:
        producer = _producer(raw, offset)
        line = positions[offset // 2][0]
        op = raw[producer] if producer >= 0 else None
        via, name, framework = "assign", None, None
        if op == IMPORT_FROM:
            via = "import"
        elif op == CALL:
            name = callee(producer)
            if name is False:
                return None
            framework = APP_CONSTRUCTORS.get(name or "")
        app = {"via": via, "framework": framework, "callee": name, **src.span(line, 0, line, 0)}
    if app is None:
        for offset in factory_stores:
            if _producer(raw, offset) >= 0 and raw[_producer(raw, offset)] == MAKE_FUNCTION:
                line = positions[offset // 2][0]
                app = {"via": "factory", "framework": None, **src.span(line, 0, line, 0)}
    candidates = [] if app is not None else _candidates(module_code, positions, resolver, src)
    return {"app": app, "appCandidates": candidates}


def _candidates(code: CodeType, positions: list, resolver: Resolver, src: Source) -> list[dict[str, Any]]:
    """Module-level names bound to an app constructor's result: `api = FastAPI()` suggests renaming `api`."""
    leaves = _CONSTRUCTOR_LEAVES | {alias for alias, target in resolver.aliases.items() if target in APP_CONSTRUCTORS}
    raw, found = code.co_code, []
    for offset in range(0, len(raw), 2):
        if raw[offset] != STORE_NAME:
            continue
        producer = _producer(raw, offset)
        if producer < 0 or raw[producer] != CALL:
            continue
        line, end_line, col, end_col = positions[producer // 2]
        if line is None or col is None:
            continue
        text = _segment(src, line, end_line or line, col, end_col or 0)
        if not any(leaf in text for leaf in leaves):
            continue
        try:
            node = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            continue
        name = resolver.qualify(node.func) if isinstance(node, ast.Call) else None
        if name in APP_CONSTRUCTORS:
            found.append({"name": code.co_names[_arg(raw, offset)], "framework": APP_CONSTRUCTORS[name],
                          **src.span(positions[offset // 2][0], 0, positions[offset // 2][0], 0)})
    return found


def analyze_file(path: str, source: str, entry: bool, force_ast: bool = False) -> dict[str, Any]:
    src = Source(source)
    facts: dict[str, Any] = {"path": path, "error": None, "imports": [], "references": [], "app": None,
                             "appCandidates": [], "astUsed": False}
    try:
        code = compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        facts["error"] = {"type": type(exc).__name__, "message": exc.msg,
                          "line": exc.lineno, "column": exc.offset,
                          "endLine": exc.end_lineno, "endColumn": exc.end_offset}
        return facts
    except (RecursionError, MemoryError) as exc:
        # CPython's parser and compiler guard their recursion this way: the runner could not load it either.
        facts["error"] = {"type": type(exc).__name__,
                          "message": f"the code is nested too deeply for Python to compile ({type(exc).__name__}); flatten it",
                          "line": None, "column": None, "endLine": None, "endColumn": None}
        return facts
    except (ValueError, OverflowError, UnicodeError) as exc:
        # NUL bytes, lone surrogates: CPython refuses the file too.
        facts["error"] = {"type": type(exc).__name__, "message": str(exc) or type(exc).__name__,
                          "line": None, "column": None, "endLine": None, "endColumn": None}
        return facts
    codes = code_objects(code)
    facts["imports"] = bytecode_imports(codes, src)
    suspicious = needs_ast(codes, facts["imports"])
    if entry and not suspicious and not force_ast:
        fast = fast_app_facts(code, facts["imports"], src)
        if fast is not None:
            facts.update(fast)
            return facts
    if suspicious or entry:
        try:
            tree = ast.parse(source, path)
        except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
            facts["error"] = {"type": type(exc).__name__, "message": f"the file is too deeply nested to analyse ({exc})",
                              "line": None, "column": None, "endLine": None, "endColumn": None}
            return facts
        facts["astUsed"] = True
        resolver = Resolver(tree)
        facts["references"] = references(tree, resolver, src)
        if entry:
            facts.update(app_facts(tree, resolver, src))
    return facts


def analyze_batch(request_json: str) -> str:
    request = json.loads(request_json)
    results = [analyze_file(f["path"], f["source"], bool(f.get("entry"))) for f in request["files"]]
    return json.dumps({"id": request.get("id"), "results": results})


def serve() -> None:
    stdin, stdout = sys.stdin, sys.stdout
    stdout.write(json.dumps({"ready": True, "version": sys.version.split()[0]}) + "\n")
    stdout.flush()
    for line in stdin:
        try:
            response = analyze_batch(line)
        except Exception as exc:  # noqa: BLE001 - the worker must answer every request, never die
            try:
                request_id = json.loads(line).get("id")
            except ValueError:
                request_id = None
            response = json.dumps({"id": request_id, "fatal": f"{type(exc).__name__}: {exc}"})
        stdout.write(response + "\n")
        stdout.flush()


if __name__ == "__main__":
    serve()
