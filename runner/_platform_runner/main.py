"""
The runner's start-up, in order: read the environment, put the project on sys.path, make a scratch
working directory, import the app (reporting any failure as one structured line), adapt it (relative
docs and offline assets, static files, the platform layer), then serve it with uvicorn (reporting the bound port) until
SIGTERM, letting in-flight requests finish.
"""
from __future__ import annotations

import signal
import socket
import sys

import uvicorn

from .asgi import PlatformApp
from .config import load_config
from .docs import use_relative_docs
from .events import emit
from .failure import EXIT_IMPORT_FAILED, fail_with_exception
from .loader import import_app
from .offline import rewrite_fasthtml_headers
from .static import mount_static
from .workdir import prepare_workdir


class _ReportingServer(uvicorn.Server):
    """Reports where it listens once serving: with PORT=0 the kernel picks the port, so no other process
    can hold it (a supervisor that picks a free port and releases it for us to bind races everyone else);
    a Unix socket is reported by its path."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.started:
            return
        bound = self.servers[0].sockets[0].getsockname()
        if isinstance(bound, str) or not bound:
            emit("listening", listen=f"unix:{self.config.uds}", path=self.config.uds)
        else:
            emit("listening", listen=f"tcp:{bound[0]}:{bound[1]}", host=bound[0], port=bound[1])


def main() -> None:
    sys.dont_write_bytecode = True
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    try:
        config = load_config()
    except ValueError as exc:
        emit("start-failed", type="ConfigError", message=str(exc), file=None, line=None, phase="config")
        sys.exit(EXIT_IMPORT_FAILED)
    # The project's directory replaces the runner's own on sys.path: sibling modules, packages and
    # relative imports inside packages resolve exactly as with `python app.py` in that directory.
    sys.path[0] = str(config.code_dir)
    prepare_workdir(config.code_dir, config.session_key)
    try:
        loaded = import_app(config.code_dir, config.entrypoint, config.termination_log)
    except Exception as exc:  # noqa: BLE001 - any import-time failure is reported as data
        fail_with_exception(exc, config.code_dir, config.termination_log, phase="import")
    use_relative_docs(loaded.app)
    rewrite_fasthtml_headers(loaded.app)
    mount_static(loaded.app, config.code_dir)
    emit("imported", framework=loaded.framework, entrypoint=config.entrypoint)

    server = _ReportingServer(uvicorn.Config(
        PlatformApp(loaded.app, config.code_dir, config.termination_log, config.forwarded_allow_ips, config.instance, config.version),
        host=config.listen.host,
        port=config.listen.port,
        uds=config.listen.uds,
        lifespan="on",
        # Proxy headers are applied inside PlatformApp, for FORWARDED_ALLOW_IPS only.
        proxy_headers=False,
        server_header=False,
        # Request records are the platform proxy's job, outside this process.
        access_log=False,
        timeout_graceful_shutdown=config.graceful_seconds,
        log_level="info",
    ))
    # uvicorn re-raises the signal that stopped it once its graceful shutdown is done; with these
    # handlers in place that re-raise is a no-op, so a graceful stop exits 0 instead of dying by SIGTERM.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda *_: None)
    server.run()
    if not server.started:
        sys.exit(EXIT_IMPORT_FAILED)
