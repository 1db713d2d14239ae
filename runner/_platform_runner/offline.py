"""
Apps that work without the internet: the assets FastAPI's docs and FastHTML's default headers would
load from CDNs are served by the runner itself at /_platform/assets/<name>.
  - Swagger UI and ReDoc come from the `fastapi-offline` package (pinned in requirements.txt), handed
    to FastAPI's own `get_swagger_ui_html` / `get_redoc_html` through their URL parameters (docs.py).
  - FastHTML's default headers (htmx, fasthtml-js, Surreal, css-scope-inline, Pico) are rewritten at
    start-up to the copies in vendor/ (VENDOR.md says where each comes from). No user code changes:
    the app's `hdrs` list is edited in place before the first request.
"""
from __future__ import annotations

import importlib.util
import mimetypes
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable

ASSET_PREFIX = "/_platform/assets/"
VENDOR_DIR = Path(__file__).parent / "vendor"

# The exact URLs python-fasthtml 0.14 links, each to the vendored file that replaces it. A FastHTML
# upgrade that changes a URL leaves it alone (and the offline test, which checks that the page asks for
# nothing off-host, fails): a link is never pointed at a different version silently.
FASTHTML_CDN = {
    "https://cdn.jsdelivr.net/npm/htmx.org@2.0.7/dist/htmx.js": "htmx-2.0.7.js",
    "https://cdn.jsdelivr.net/gh/answerdotai/fasthtml-js@1.0.12/fasthtml.js": "fasthtml-helpers.js",
    "https://cdn.jsdelivr.net/gh/answerdotai/surreal@main/surreal.js": "surreal-helpers.js",
    "https://cdn.jsdelivr.net/gh/gnat/css-scope-inline@main/script.js": "css-scope-inline-1.0.0.js",
    "https://cdn.jsdelivr.net/npm/@anyblades/pico@latest/css/pico.min.css": "pico-2.5.0.min.css",
}

# ReDoc's bundle shows Redocly's logo from their CDN; pointed at an empty image, its own error handler
# leaves the logo out (the "API docs by Redocly" link stays). Applied to the bytes served, not the package.
_PATCHES: dict[str, list[tuple[bytes, bytes]]] = {
    "redoc.standalone.js": [(b'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"', b'src:"data:,"')],
}

_TYPES = {".js": "application/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png"}


def _swagger_dir() -> Path | None:
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    directory = Path(list(spec.submodule_search_locations)[0]) / "static"
    return directory if directory.is_dir() else None


def asset_files() -> dict[str, Path]:
    """Every file served under /_platform/assets/, by name."""
    files = {path.name: path for path in VENDOR_DIR.glob("*") if path.suffix in (".js", ".css")}
    swagger = _swagger_dir()
    if swagger is not None:
        for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"):
            if (swagger / name).is_file():
                files[name] = swagger / name
    return files


def asset_url(name: str) -> str:
    return f"{ASSET_PREFIX}{name}"


def _rewrite(item: Any) -> int:
    """Rewrites the src/href of one FastHTML header (or a tuple of them, like Pico's link + style)."""
    if isinstance(item, (list, tuple)):
        return sum(_rewrite(part) for part in item)
    attrs = getattr(item, "attrs", None)
    if not isinstance(attrs, dict):
        return 0
    changed = 0
    for key in ("src", "href"):
        target = FASTHTML_CDN.get(str(attrs.get(key, "")))
        if target:
            attrs[key] = asset_url(target)
            changed += 1
    return changed


def rewrite_fasthtml_headers(app: Any) -> int:
    """Points the app's CDN headers at the runner's copies; returns how many links changed."""
    changed = 0
    for name in ("hdrs", "ftrs"):
        items = getattr(app, name, None)
        if isinstance(items, list):
            changed += _rewrite(items)
    return changed


Send = Callable[[dict[str, Any]], Awaitable[None]]


@lru_cache(maxsize=32)
def _asset_bytes(name: str, file: Path) -> bytes:
    body = file.read_bytes()
    for old, new in _PATCHES.get(name, []):
        body = body.replace(old, new)
    return body


async def serve_asset(path: str, send: Send, files: dict[str, Path]) -> None:
    name = path[len(ASSET_PREFIX):]
    file = files.get(name)
    if file is None:
        body = b'{"detail":"Not Found"}'
        await send({"type": "http.response.start", "status": 404,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        return
    body = _asset_bytes(name, file)
    kind = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", kind.encode()), (b"content-length", str(len(body)).encode()),
        # The names carry their versions (or come with the pinned package): cache them for a day.
        (b"cache-control", b"public, max-age=86400"), (b"x-content-type-options", b"nosniff"),
    ]})
    await send({"type": "http.response.body", "body": body})
