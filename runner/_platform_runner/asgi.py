"""
The ASGI app uvicorn serves: the user's app behind a thin platform layer that
  - answers the reserved probe path /_platform/health: 200 only after the app imported and its
    lifespan startup ran, 503 before (every other path, /health included, is the user's);
  - runs the app's lifespan, reporting a failed startup as a structured failure line;
  - records an unhandled exception as a traceback tagged with the proxy's request id and marked as
    reported by the app (request records themselves are made outside this process);
  - answers the other reserved paths, /_platform/openapi and /_platform/assets/ (reserved.py);
  - honours X-Forwarded-Prefix from trusted proxies as the ASGI root_path, and otherwise applies
    uvicorn's proxy-header handling for those proxies only.
"""
from __future__ import annotations

import base64
import ipaddress
import json
from pathlib import Path
from typing import Any, Awaitable, Callable

from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from .config import HEALTH_PATH, INSTANCE_HEADER, REQUEST_ID_HEADER
from .events import emit
from .failure import format_traceback, locate, report
from .reserved import ReservedPaths

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class TrustedProxies:
    """FORWARDED_ALLOW_IPS as addresses and networks ("*" trusts everyone)."""

    def __init__(self, spec: str) -> None:
        items = [item.strip() for item in spec.split(",") if item.strip()]
        self.everyone = "*" in items
        self.networks = []
        for item in items:
            if item == "*":
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                pass  # Unix-socket names and the like: never a TCP peer.

    def __contains__(self, host: str | None) -> bool:
        if self.everyone:
            return True
        try:
            address = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)


async def _respond(send: Send, status: int, body: bytes, content_type: bytes = b"application/json",
                   extra: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store"), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


class PlatformApp:
    def __init__(self, app: Callable[..., Any], code_dir: Path, termination_log: Path, forwarded_allow_ips: str,
                 instance: str = "", version: str = "") -> None:
        self.app = app
        # Which version answered, for the platform's gateway (which strips it before the client sees it).
        self.version_header = [(b"x-platform-version", version.encode("latin-1"))] if version.isdigit() else []
        # Echoed by the probe path: a supervisor on a shared host knows the answer is from its own
        # process, not from another app that holds the port it was handed.
        self.instance_header = [(INSTANCE_HEADER, instance.encode("latin-1"))] if instance else []
        self.code_dir = code_dir
        self.termination_log = termination_log
        self.trusted = TrustedProxies(forwarded_allow_ips)
        self.proxied = ProxyHeadersMiddleware(app, trusted_hosts=forwarded_allow_ips)
        self.started = False
        self.reserved = ReservedPaths(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(scope, receive, send)
        elif kind == "http" and scope["path"] == HEALTH_PATH:
            if self.started:
                await _respond(send, 200, b'{"status":"ok"}', extra=self.instance_header)
            else:
                await _respond(send, 503, b'{"status":"starting"}', extra=self.instance_header)
        elif kind == "http" and ReservedPaths.owns(scope["path"]):
            await self.reserved.handle(scope, send)
        elif kind in ("http", "websocket"):
            await self._request(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        received: list[str] = []
        sent: list[str] = []

        async def app_receive() -> Message:
            message = await receive()
            received.append(message["type"])
            return message

        async def app_send(message: Message) -> None:
            sent.append(message["type"])
            if message["type"] == "lifespan.startup.complete":
                self.started = True
            await send(message)

        try:
            await self.app(scope, app_receive, app_send)
            if "lifespan.startup.complete" not in sent and "lifespan.startup.failed" not in sent:
                # Returned without answering: the app ignores lifespan scopes.
                await self._no_lifespan(receive, send, "lifespan.startup" in received)
        except Exception as exc:  # noqa: BLE001 - every failure here is reported, none is hidden
            if "lifespan.startup.failed" in sent or ("lifespan.startup" in received and "lifespan.startup.complete" not in sent
                                                     and self._is_startup_error(exc)):
                file, line, column = locate(exc, self.code_dir)
                report("start-failed", type(exc).__name__, str(exc), file, line, column, self.termination_log, phase="startup")
                if "lifespan.startup.failed" not in sent:
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                return
            if "lifespan.startup.complete" in sent:
                emit("shutdown-error", type=type(exc).__name__, message=str(exc))
                return
            # The app does not speak lifespan (a bare ASGI callable): run without it, as uvicorn's
            # "auto" mode would.
            await self._no_lifespan(receive, send, "lifespan.startup" in received)

    def _is_startup_error(self, exc: Exception) -> bool:
        # An exception from the project's own code after startup began is a failed startup; one
        # raised by the app rejecting the lifespan scope itself means lifespan is unsupported.
        return locate(exc, self.code_dir)[0] is not None

    async def _no_lifespan(self, receive: Receive, send: Send, startup_consumed: bool) -> None:
        if not startup_consumed:
            await receive()
        self.started = True
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})

    async def _request(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if client and client[0] in self.trusted:
            for name, value in scope.get("headers", []):
                if name == b"x-forwarded-prefix":
                    prefix = value.decode("latin-1").strip().rstrip("/")
                    if prefix.startswith("/"):
                        scope = {**scope, "root_path": prefix}
                    break
        response_started = False
        # A 5xx is held back until the app returns or raises: Starlette's error middleware sends its
        # own 500 and then re-raises, and the traceback must travel with that very response.
        held: list[Message] = []
        held_bytes = 0

        async def release(extra: list[tuple[bytes, bytes]] | None = None) -> None:
            nonlocal held
            messages, held = held, []
            if messages and extra:
                messages[0] = {**messages[0], "headers": [*messages[0].get("headers", []), *extra]}
            for message in messages:
                await send(message)

        async def tracked_send(message: Message) -> None:
            nonlocal response_started, held_bytes
            if message["type"] == "http.response.start":
                response_started = True
                if self.version_header:
                    message = {**message, "headers": [*message.get("headers", []), *self.version_header]}
                if scope["type"] == "http" and message.get("status", 200) >= 500:
                    held.append(message)
                    return
            if held:
                held.append(message)
                held_bytes += len(message.get("body", b""))
                # A long streamed error page is not held whole: it goes out without the traceback.
                if held_bytes > 64 * 1024:
                    await release()
                return
            await send(message)

        try:
            await self.proxied(scope, receive, tracked_send)
            await release()
        except Exception as exc:  # noqa: BLE001 - recorded, answered, never re-raised into uvicorn
            error = self._record(scope, exc)
            # The traceback travels to the gateway with the 500 itself (it strips the header), so
            # request records never depend on reading the app's logs.
            handed = [(b"x-platform-error", base64.b64encode(json.dumps(error, ensure_ascii=False).encode("utf-8")[:48_000]))]
            if held:
                await release(handed)
            elif scope["type"] == "http" and not response_started:
                await _respond(send, 500, b"Internal Server Error", b"text/plain; charset=utf-8", [*handed, *self.version_header])

    def _record(self, scope: Scope, exc: Exception) -> dict[str, Any]:
        request_id = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == REQUEST_ID_HEADER), None)
        file, line, _ = locate(exc, self.code_dir)
        error = {"type": type(exc).__name__, "message": str(exc)[:2000], "file": file, "line": line,
                 "traceback": format_traceback(exc, self.code_dir)[-16_000:]}
        emit("request-exception", source="app", request_id=request_id, method=scope.get("method"),
             path=scope.get("path"), **error)
        return error
