"""Finding the entry module's `app`: from its bytecode (parsing only the producing call), or from the AST."""
from __future__ import annotations

import ast
from types import CodeType
from typing import Any

from .bytecode import CALL, IMPORT_FROM, MAKE_FUNCTION, STORE_NAME, instruction_arg, producer_of, stores_of
from .resolver import Resolver
from .source import Source, segment, statement_lines

APP_CONSTRUCTORS = {
    "fastapi.FastAPI": "fastapi", "fastapi.applications.FastAPI": "fastapi",
    "fasthtml.FastHTML": "fasthtml", "fasthtml.common.FastHTML": "fasthtml", "fasthtml.core.FastHTML": "fasthtml",
    "fasthtml.fast_app": "fasthtml", "fasthtml.common.fast_app": "fasthtml", "fasthtml.fastapp.fast_app": "fasthtml",
    "starlette.applications.Starlette": "starlette",
}
_CONSTRUCTOR_LEAVES = {name.rsplit(".", 1)[1] for name in APP_CONSTRUCTORS}


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


def fast_app_facts(module_code: CodeType, imports: list[dict[str, Any]], src: Source) -> dict[str, Any] | None:
    """
    App detection from the module's own bytecode: where `app` is stored, and the call that produced it,
    whose source segment alone is parsed. Imports are re-read from their statements' source so aliases
    resolve. Returns None when anything is unusual; the caller then falls back to the full AST.
    """
    raw = module_code.co_code
    app_stores, factory_stores = stores_of(module_code, "app"), stores_of(module_code, "create_app")
    if app_stores is None or factory_stores is None:
        return None
    import_source = "\n".join(dict.fromkeys(statement_lines(src, i["line"], i["endLine"]) for i in imports
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
        text = segment(src, line, end_line or line, col, end_col or 0)
        try:
            node = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            return False
        return resolver.qualify(node.func) if isinstance(node, ast.Call) else None

    app = None
    for offset in app_stores:
        producer = producer_of(raw, offset)
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
            if producer_of(raw, offset) >= 0 and raw[producer_of(raw, offset)] == MAKE_FUNCTION:
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
        producer = producer_of(raw, offset)
        if producer < 0 or raw[producer] != CALL:
            continue
        line, end_line, col, end_col = positions[producer // 2]
        if line is None or col is None:
            continue
        text = segment(src, line, end_line or line, col, end_col or 0)
        if not any(leaf in text for leaf in leaves):
            continue
        try:
            node = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            continue
        name = resolver.qualify(node.func) if isinstance(node, ast.Call) else None
        if name in APP_CONSTRUCTORS:
            found.append({"name": code.co_names[instruction_arg(raw, offset)], "framework": APP_CONSTRUCTORS[name],
                          **src.span(positions[offset // 2][0], 0, positions[offset // 2][0], 0)})
    return found
