"""
Swagger UI and ReDoc that work behind any host or path prefix: FastAPI's own pages fetch the schema
from an absolute `/openapi.json`, which breaks under a prefix. The runner re-serves them with the
schema URL relative to the page (`/docs` → `openapi.json`), so the browser resolves it wherever the
app is mounted, and with Swagger UI's and ReDoc's files from the runner (offline.py) instead of a CDN,
so the pages work without the internet. Only FastAPI apps that keep their docs enabled are touched.
"""
from __future__ import annotations

import posixpath
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from .offline import asset_files, asset_url


def relative_url(target: str, page: str) -> str:
    """The URL of `target` relative to the page at `page` (both absolute paths)."""
    return posixpath.relpath(target, posixpath.dirname(page) or "/")


def use_relative_docs(app: Any) -> None:
    try:
        from fastapi import FastAPI
        from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
    except ImportError:
        return
    if not isinstance(app, FastAPI) or not app.openapi_url:
        return
    pages: dict[str, Any] = {}
    openapi_url: str = app.openapi_url
    # Without fastapi-offline installed (`fp dev` in someone's own environment), FastAPI's CDN defaults stay.
    offline = "swagger-ui-bundle.js" in asset_files()
    if app.docs_url:
        docs_url: str = app.docs_url
        oauth = app.swagger_ui_oauth2_redirect_url

        async def swagger(_: Request) -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url=relative_url(openapi_url, docs_url),
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=relative_url(oauth, docs_url) if oauth else None,
                init_oauth=app.swagger_ui_init_oauth,
                # No validator badge: it is an image from validator.swagger.io (the app's own setting wins).
                swagger_ui_parameters={"validatorUrl": None, **(app.swagger_ui_parameters or {})},
                **({"swagger_js_url": relative_url(asset_url("swagger-ui-bundle.js"), docs_url),
                    "swagger_css_url": relative_url(asset_url("swagger-ui.css"), docs_url),
                    "swagger_favicon_url": relative_url(asset_url("favicon.png"), docs_url)} if offline else {}),
            )

        pages[docs_url] = swagger
    if app.redoc_url:
        redoc_url: str = app.redoc_url

        async def redoc(_: Request) -> HTMLResponse:
            return get_redoc_html(openapi_url=relative_url(openapi_url, redoc_url), title=f"{app.title} - ReDoc",
                                  **({"redoc_js_url": relative_url(asset_url("redoc.standalone.js"), redoc_url),
                                      "redoc_favicon_url": relative_url(asset_url("favicon.png"), redoc_url), "with_google_fonts": False}
                                     if offline else {}))

        pages[redoc_url] = redoc
    app.router.routes = [
        Route(route.path, pages[route.path], include_in_schema=False)
        if isinstance(route, Route) and route.path in pages else route
        for route in app.router.routes
    ]
