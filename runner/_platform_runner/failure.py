"""
Failures are data: when the app cannot start, the runner writes one structured line naming the
exception and the file and line inside the user's project, to stderr and to the container's
termination-message file (Kubernetes shows it as the reason), then exits non-zero.
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from .events import emit

# Exit codes: distinct so supervisors can tell a broken app from a crashed runner.
EXIT_IMPORT_FAILED = 3
EXIT_NO_APP = 4
# Kubernetes reads at most 4096 bytes of the termination message.
_TERMINATION_LIMIT = 4000


def _inside(path: str | None, code_dir: Path) -> str | None:
    """`path` relative to the project, by the name Python imported it under.

    Symlinks are not followed: in Kubernetes each file of the code volume is a symlink into the
    kubelet's `..data/` → `..<timestamp>/` directories, and resolving it would name that hidden
    directory (`..2026_12_03_10_04_27.504815642/app.py`) instead of `app.py`.
    """
    if not path:
        return None
    candidate = Path(os.path.abspath(path))
    for base in (code_dir, code_dir.resolve()):
        try:
            return _without_volume_dir(candidate.relative_to(base)).as_posix()
        except ValueError:
            continue
    return None


def _without_volume_dir(relative: Path) -> Path:
    """Drops a leading `..data` / `..<timestamp>` directory of a ConfigMap volume, should a path name it."""
    parts = relative.parts
    return Path(*parts[1:]) if len(parts) > 1 and parts[0].startswith("..") else relative


def locate(exc: BaseException, code_dir: Path) -> tuple[str | None, int | None, int | None]:
    """The (file, line, column) inside the project where `exc` arose, innermost project frame first."""
    if isinstance(exc, SyntaxError):
        relative = _inside(exc.filename, code_dir)
        if relative:
            return relative, exc.lineno, exc.offset
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        relative = _inside(frame.filename, code_dir)
        if relative:
            return relative, frame.lineno, (frame.colno + 1) if getattr(frame, "colno", None) is not None else None
    return None, None, None


def format_traceback(exc: BaseException, code_dir: Path) -> str:
    """Python's own traceback text, with the project's files named relative to it (`app.py`, not
    `/code/app.py`): the same on every host, and how the dashboard tells the user's frames from the
    framework's (an absolute path is never the project's)."""
    formatted = traceback.TracebackException.from_exception(exc)
    seen: set[int] = set()
    pending = [formatted]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for frame in current.stack:
            relative = _inside(frame.filename, code_dir)
            if relative:
                frame.filename = relative
        pending.extend(chained for chained in (current.__cause__, current.__context__) if chained is not None)
        pending.extend(getattr(current, "exceptions", None) or [])
    return "".join(formatted.format())


def report(kind: str, exc_type: str, message: str, file: str | None, line: int | None,
           column: int | None, termination_log: Path, **extra: object) -> str:
    """Writes the failure line to stderr and the termination-message file; returns the line."""
    line_text = emit(kind, type=exc_type, message=message[:1500], file=file, line=line, column=column, **extra)
    try:
        termination_log.write_text(line_text[:_TERMINATION_LIMIT])
    except OSError:
        pass  # No termination-message file outside Kubernetes; stderr still has the line.
    return line_text


def fail_with_exception(exc: BaseException, code_dir: Path, termination_log: Path, phase: str) -> NoReturn:
    file, line, column = locate(exc, code_dir)
    message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    report("start-failed", type(exc).__name__, message, file, line, column, termination_log, phase=phase)
    sys.stderr.write(format_traceback(exc, code_dir))
    sys.stderr.flush()
    sys.exit(EXIT_IMPORT_FAILED)
