"""What compiled code objects tell for free: every imported module (IMPORT_NAME), the names used
(co_names), where a name is stored (STORE_NAME) and what produced the stored value."""
from __future__ import annotations

import opcode
from types import CodeType
from typing import Any

from .blocked import BLOCKED_ATTRIBUTES, BLOCKED_BUILTINS, BLOCKED_DUNDERS, BLOCKED_METHODS, SENSITIVE_MODULES
from .source import Source

IMPORT_NAME = opcode.opmap["IMPORT_NAME"]
LOAD_CONST = opcode.opmap["LOAD_CONST"]
LOAD_GLOBAL = opcode.opmap["LOAD_GLOBAL"]
LOAD_NAME = opcode.opmap["LOAD_NAME"]
EXTENDED_ARG = opcode.opmap["EXTENDED_ARG"]
STORE_NAME = opcode.opmap["STORE_NAME"]
CALL = opcode.opmap["CALL"]
IMPORT_FROM = opcode.opmap["IMPORT_FROM"]
MAKE_FUNCTION = opcode.opmap["MAKE_FUNCTION"]
# Between a value's producer and its STORE_NAME: tuple unpacking, chained targets and inline caches.
_SKIP_BACK = {opcode.opmap[n] for n in ("UNPACK_SEQUENCE", "STORE_NAME", "CACHE", "EXTENDED_ARG", "NOP", "COPY")}


def code_objects(code: CodeType) -> list[CodeType]:
    found, stack = [], [code]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(c for c in current.co_consts if isinstance(c, CodeType))
    return found


def instruction_arg(raw: bytes, at: int) -> int:
    """The argument of the instruction at `at`, including preceding EXTENDED_ARGs."""
    value, shift, back = raw[at + 1], 8, at - 2
    while back >= 0 and raw[back] == EXTENDED_ARG:
        value |= raw[back + 1] << shift
        shift += 8
        back -= 2
    return value


def bytecode_imports(codes: list[CodeType], src: Source) -> list[dict[str, Any]]:
    imports = []
    needle = bytes([IMPORT_NAME])
    for code in codes:
        raw = code.co_code
        at = raw.find(needle)
        positions = None
        while at != -1:
            if at % 2 == 0:
                module = code.co_names[instruction_arg(raw, at)]
                level, names = 0, []
                # IMPORT_NAME is preceded by LOAD_CONST level, LOAD_CONST fromlist.
                if at >= 4 and raw[at - 4] == LOAD_CONST and raw[at - 2] == LOAD_CONST:
                    level = code.co_consts[instruction_arg(raw, at - 4)]
                    fromlist = code.co_consts[instruction_arg(raw, at - 2)]
                    names = list(fromlist) if isinstance(fromlist, tuple) else []
                if positions is None:
                    positions = list(code.co_positions())
                line, end_line, col, end_col = positions[at // 2]
                imports.append({"module": module, "level": level if isinstance(level, int) else 0, "names": names,
                                **src.span(line, col, end_line, end_col)})
            at = raw.find(needle, at + 1)
    return imports


def _loads_global(code: CodeType, name: str) -> bool:
    if name not in code.co_names:
        return False
    index = code.co_names.index(name)
    if index >= 128:
        return True  # Needs EXTENDED_ARG: too rare to scan for; let the AST decide.
    raw = code.co_code
    patterns = (bytes([LOAD_GLOBAL, index << 1]), bytes([LOAD_GLOBAL, (index << 1) | 1]), bytes([LOAD_NAME, index]))
    for pattern in patterns:
        at = raw.find(pattern)
        while at != -1:
            if at % 2 == 0:
                return True
            at = raw.find(pattern, at + 1)
    return False


def needs_ast(codes: list[CodeType], imports: list[dict[str, Any]]) -> bool:
    names = set()
    for code in codes:
        names.update(code.co_names)
    if names & BLOCKED_DUNDERS:
        return True
    if any(_loads_global(code, name) for name in names & BLOCKED_BUILTINS for code in codes):
        return True
    if names & BLOCKED_METHODS:
        return True
    imported = {i["module"].split(".")[0] for i in imports}
    attributes = set(BLOCKED_ATTRIBUTES.values())
    return bool(imported & SENSITIVE_MODULES and names & attributes)


def stores_of(code: CodeType, name: str) -> list[int] | None:
    """Offsets of `STORE_NAME name` in `code` (None when the index needs EXTENDED_ARG: let the AST decide)."""
    if name not in code.co_names:
        return []
    index = code.co_names.index(name)
    if index > 255:
        return None
    raw, needle, found = code.co_code, bytes([STORE_NAME, index]), []
    at = raw.find(needle)
    while at != -1:
        if at % 2 == 0:
            found.append(at)
        at = raw.find(needle, at + 1)
    return found


def producer_of(raw: bytes, offset: int) -> int:
    back = offset - 2
    while back >= 0 and raw[back] in _SKIP_BACK:
        back -= 2
    return back
