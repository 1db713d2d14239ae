"""Serves the project's `static/` folder at /static for Starlette-based apps that do not route it themselves."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles


def mount_static(app: Any, code_dir: Path) -> bool:
    directory = code_dir / "static"
    if not directory.is_dir() or not isinstance(app, Starlette):
        return False
    if any(getattr(route, "path", "").startswith("/static") for route in app.router.routes):
        return False
    # First, so a catch-all route of the app cannot shadow the project's files.
    app.router.routes.insert(0, Mount("/static", app=StaticFiles(directory=directory), name="static"))
    return True
