"""
Facts about Python files, from CPython itself, for the TypeScript validator (validation/).

The verdict on syntax is CPython's own `compile()`, so it reports exactly what the runner's Python
would. The same compiled code objects give, almost for free, every imported module (IMPORT_NAME in
the bytecode) and every name used (co_names). Only the entry file (app detection) and files whose
names look suspicious are parsed into an AST, whose construction costs more than compiling.

Run as a worker it reads one JSON request per line on stdin, {"id", "files": [{"path", "source",
"entry"}]}, and writes one JSON response per line, {"id", "results": [facts, ...]}. The pyodide engine
imports this module and calls analyze_batch() instead. The work is split by responsibility in
fp_analysis/: source positions, bytecode facts, blocked names, the alias resolver, references, app detection.
"""
from __future__ import annotations

import ast
import json
import os
import sys
from typing import Any

# Run as `python -I -S -B analyzer.py`, whose directory is not on sys.path; pyodide puts it there itself.
# Nothing is written next to the code (its directory is read-only in the API image).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fp_analysis.app import app_facts, fast_app_facts  # noqa: E402
from fp_analysis.bytecode import bytecode_imports, code_objects, needs_ast  # noqa: E402
from fp_analysis.references import references  # noqa: E402
from fp_analysis.resolver import Resolver  # noqa: E402
from fp_analysis.source import Source  # noqa: E402


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
