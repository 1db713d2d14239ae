"""Structured lines the platform reads from the runner's stderr: one JSON object per line, tagged "fp"."""
from __future__ import annotations

import json
import sys
from typing import Any


def emit(kind: str, **fields: Any) -> str:
    line = json.dumps({"fp": kind, **fields}, ensure_ascii=False, default=str)
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
    return line
