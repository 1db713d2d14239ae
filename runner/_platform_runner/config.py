"""The runner's configuration, read once from the environment (CONTRACT.md lists every variable)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HEALTH_PATH = "/_platform/health"
REQUEST_ID_HEADER = b"x-platform-request-id"
INSTANCE_HEADER = b"x-platform-instance"


@dataclass(frozen=True)
class Listen:
    """Where uvicorn listens: a TCP host and port, or a Unix socket path (`FP_LISTEN`)."""
    host: str = "0.0.0.0"
    port: int = 8000
    uds: str | None = None

    def describe(self) -> str:
        return f"unix:{self.uds}" if self.uds else f"tcp:{self.host}:{self.port}"


def parse_listen(env: dict[str, str] | os._Environ[str]) -> Listen:
    """`FP_LISTEN=unix:<path>` | `tcp:<port>` | `tcp:<host>:<port>`; without it, `FP_HOST` and `PORT`."""
    spec = env.get("FP_LISTEN", "").strip()
    if not spec:
        return Listen(host=env.get("FP_HOST", "0.0.0.0"), port=int(env.get("PORT", "8000")))
    kind, _, rest = spec.partition(":")
    if kind == "unix" and rest.startswith("/"):
        return Listen(uds=rest)
    if kind == "tcp" and rest:
        host, _, port = rest.rpartition(":")
        if port.isdigit() and int(port) <= 65535:
            return Listen(host=(host.strip("[]") or env.get("FP_HOST", "0.0.0.0")), port=int(port))
    raise ValueError(f"FP_LISTEN={spec!r} is not unix:<absolute path>, tcp:<port> or tcp:<host>:<port>")


@dataclass(frozen=True)
class RunnerConfig:
    code_dir: Path
    entrypoint: str
    listen: Listen
    forwarded_allow_ips: str
    termination_log: Path
    graceful_seconds: int
    session_key: str | None
    instance: str
    version: str


def load_config(env: dict[str, str] | os._Environ[str] = os.environ) -> RunnerConfig:
    code_dir = env.get("CODE_DIR", "/code")
    entrypoint = env.get("ENTRYPOINT", "app.py")
    # The original platform passed one path; it is still accepted.
    code_path = env.get("CODE_PATH")
    if code_path and "CODE_DIR" not in env and "ENTRYPOINT" not in env:
        code_dir, entrypoint = os.path.dirname(code_path) or ".", os.path.basename(code_path)
    listen = parse_listen(env)
    return RunnerConfig(
        code_dir=Path(code_dir).resolve(),
        entrypoint=entrypoint,
        listen=listen,
        # Only the platform (and the app's own sandbox) can reach a Unix socket: its peer is the proxy.
        forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS", "*" if listen.uds else "127.0.0.1,::1"),
        termination_log=Path(env.get("FP_TERMINATION_LOG", "/dev/termination-log")),
        graceful_seconds=int(env.get("FP_GRACEFUL_SECONDS", "25")),
        session_key=env.get("PLATFORM_SESSION_KEY") or None,
        instance=env.get("FP_INSTANCE", ""),
        version=env.get("FP_APP_VERSION", ""),
    )
