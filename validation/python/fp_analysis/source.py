"""Source text and CPython positions: UTF-8 byte columns become 1-based character columns."""
from __future__ import annotations

from typing import Any


class Source:
    """Turns CPython's UTF-8 byte columns into 1-based character columns, decoding a line only if needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None

    def column(self, line: int | None, byte_col: int | None) -> int | None:
        if line is None or byte_col is None or byte_col < 0:
            return None
        if self.text.isascii():
            return byte_col + 1
        if self._lines is None:
            self._lines = self.text.split("\n")
        row = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        return len(row.encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1

    def span(self, line: Any, col: Any, end_line: Any, end_col: Any) -> dict[str, Any]:
        return {"line": line, "column": self.column(line, col), "endLine": end_line, "endColumn": self.column(end_line, end_col)}


def segment(src: Source, line: int, end_line: int, col: int, end_col: int) -> str:
    """The source text between two CPython positions (byte columns)."""
    rows = [r.encode("utf-8") for r in src.text.split("\n")[line - 1:end_line]]
    if not rows:
        return ""
    if len(rows) == 1:
        return rows[0][col:end_col].decode("utf-8", "replace")
    rows[0], rows[-1] = rows[0][col:], rows[-1][:end_col]
    return b"\n".join(rows).decode("utf-8", "replace")


def statement_lines(src: Source, line: int, end_line: int) -> str:
    rows = src.text.split("\n")[line - 1:end_line]
    indent = len(rows[0]) - len(rows[0].lstrip()) if rows else 0
    return "\n".join(r[indent:] if r[:indent].isspace() or not r[:indent] else r for r in rows)
