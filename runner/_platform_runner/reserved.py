"""
The runner's reserved paths besides the probe, all under /_platform/ (never the app's):
  - /_platform/openapi: where the app's OpenAPI document is, for the platform's HTTP explorer. An app
    may move or switch off FastAPI's `openapi_url`, so the platform asks instead of guessing:
    {"framework": …, "openapi_url": "/openapi.json" | null, "docs_url": …, "redoc_url": …}. It says
    only where the app itself publishes its document, never the document when the app switched it off.
  - /_platform/assets/<name>: the offline copies of the docs' and FastHTML's assets (offline.py).
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from .offline import ASSET_PREFIX, asset_files, serve_asset

OPENAPI_PATH = "/_platform/openapi"
Send = Callable[[dict[str, Any]], Awaitable[None]]


def openapi_location(app: Any) -> dict[str, Any]:
    try:
        from fastapi import FastAPI
    except ImportError:  # pragma: no cover - FastAPI is in the image
        FastAPI = None  # type: ignore[assignment,misc]
    if FastAPI is not None and isinstance(app, FastAPI):
        return {"framework": "fastapi", "openapi_url": app.openapi_url or None, "docs_url": app.docs_url if app.openapi_url else None,
                "redoc_url": app.redoc_url if app.openapi_url else None}
    framework = "fasthtml" if type(app).__name__ == "FastHTML" else "starlette" if hasattr(app, "router") else "asgi"
    return {"framework": framework, "openapi_url": None, "docs_url": None, "redoc_url": None}


class ReservedPaths:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.files = asset_files()

    @staticmethod
    def owns(path: str) -> bool:
        return path == OPENAPI_PATH or path.startswith(ASSET_PREFIX)

    async def handle(self, scope: dict[str, Any], send: Send) -> None:
        path: str = scope["path"]
        if scope.get("method") not in ("GET", "HEAD"):
            await _respond(send, 405, b'{"detail":"Method Not Allowed"}', [(b"allow", b"GET, HEAD")])
        elif path == OPENAPI_PATH:
            await _respond(send, 200, json.dumps(openapi_location(self.app)).encode())
        else:
            await serve_asset(path, send, self.files)


async def _respond(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
