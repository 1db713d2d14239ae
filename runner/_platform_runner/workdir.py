"""
The process's working directory: a scratch directory under /tmp whose entries are symlinks to the
project's files (never the `..data` directories of a Kubernetes volume). Relative reads (FastHTML's
static route, `open("data.json")`) still see the project, while relative writes (FastHTML's
`.sesskey`, a SQLite file) land in /tmp, because the code directory and the root filesystem are
read-only.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path


def prepare_workdir(code_dir: Path, session_key: str | None) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="app-", dir=os.environ.get("TMPDIR", "/tmp")))
    if code_dir.is_dir():
        for entry in code_dir.iterdir():
            # A ConfigMap volume's own bookkeeping (`..data`, `..<timestamp>`) is not the project's.
            if entry.name.startswith(".."):
                continue
            (workdir / entry.name).symlink_to(entry)
    # FastHTML's fast_app() reads its session key from ./.sesskey, creating it when missing.
    (workdir / ".sesskey").write_text(session_key or str(uuid.uuid4()))
    os.chdir(workdir)
    return workdir
