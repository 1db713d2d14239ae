"""
Imports the user's entry module (as a module, never `exec` of text) and finds the ASGI app in it:
a module-level `app` (FastAPI, FastHTML, Starlette or any ASGI callable), or a `create_app()` factory.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .failure import EXIT_NO_APP, report


class AppNotFound(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class LoadedApp:
    app: Callable[..., Any]
    framework: str


def module_name(entrypoint: str) -> str:
    if not entrypoint.endswith(".py"):
        raise AppNotFound(f"ENTRYPOINT {entrypoint!r} must be a .py file")
    return entrypoint[:-3].replace("/", ".")


def framework_of(app: Any) -> str:
    for cls in type(app).__mro__:
        if cls.__module__.startswith("fasthtml"):
            return "fasthtml"
        if cls.__module__.startswith("fastapi"):
            return "fastapi"
        if cls.__module__.startswith("starlette"):
            return "starlette"
    return "asgi"


def _is_asgi(candidate: Any) -> bool:
    if inspect.isclass(candidate) or not callable(candidate):
        return False
    target = candidate if inspect.isfunction(candidate) or inspect.ismethod(candidate) else getattr(candidate, "__call__", None)
    try:
        params = [p for p in inspect.signature(target).parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    return len(params) == 3 or any(p.kind == p.VAR_POSITIONAL for p in inspect.signature(target).parameters.values())


def _assignment_line(source_file: Path, name: str) -> int | None:
    try:
        tree = ast.parse(source_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            names = [target] if isinstance(target, ast.Name) else list(target.elts) if isinstance(target, ast.Tuple) else []
            if any(isinstance(n, ast.Name) and n.id == name for n in names):
                return node.lineno
    return None


def find_app(module: Any, entry_file: Path) -> LoadedApp:
    app = getattr(module, "app", None)
    if app is None:
        factory = getattr(module, "create_app", None)
        if callable(factory):
            app = factory()
            if inspect.isawaitable(app):
                raise AppNotFound("create_app() must return the app, not a coroutine; make it a plain function",
                                  _assignment_line(entry_file, "create_app"))
    if app is None:
        candidates = [name for name, value in vars(module).items() if not name.startswith("_") and _is_asgi(value)
                      and framework_of(value) != "asgi"]
        if candidates:
            name = candidates[0]
            raise AppNotFound(f"no module-level `app` in {entry_file.name}; rename `{name}` to `app`",
                              _assignment_line(entry_file, name))
        raise AppNotFound(f"no module-level `app` in {entry_file.name}: define `app = FastAPI()`, "
                          "`app, rt = fast_app()` or a `create_app()` factory")
    if not _is_asgi(app):
        raise AppNotFound(f"`app` in {entry_file.name} is a {type(app).__name__}, not an ASGI app",
                          _assignment_line(entry_file, "app"))
    return LoadedApp(app=app, framework=framework_of(app))


def import_app(code_dir: Path, entrypoint: str, termination_log: Path) -> LoadedApp:
    """Imports the entry module and returns its app; a missing app is reported and exits."""
    entry_file = code_dir / entrypoint
    try:
        name = module_name(entrypoint)
        if not entry_file.is_file():
            raise AppNotFound(f"the entrypoint {entrypoint} is not in the project")
    except AppNotFound as missing:
        report("start-failed", "AppNotFound", str(missing), entrypoint, None, None, termination_log, phase="import")
        sys.exit(EXIT_NO_APP)
    module = importlib.import_module(name)
    try:
        return find_app(module, entry_file)
    except AppNotFound as missing:
        report("start-failed", "AppNotFound", str(missing), entrypoint, missing.line, None, termination_log, phase="import")
        sys.exit(EXIT_NO_APP)
