"""Local names resolved to what they were imported as, so `o.system` reads as `os.system`."""
from __future__ import annotations

import ast

# What `from X import *` brings in that matters for app detection.
STAR_EXPORTS = {"fastapi": {"FastAPI"}, "fasthtml.common": {"FastHTML", "fast_app"}, "fasthtml": {"FastHTML", "fast_app"}}


class Resolver:
    """Maps local names to what they were imported as, so `o.system` and `s` resolve to `os.system`."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases: dict[str, str] = {}
        self.from_imported: set[str] = set()
        self.defined: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    if alias.name == "*":
                        for name in STAR_EXPORTS.get(node.module, ()):
                            self.aliases.setdefault(name, f"{node.module}.{name}")
                    else:
                        self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                        self.from_imported.add(alias.asname or alias.name)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.defined.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.defined.add(node.id)
            elif isinstance(node, ast.arg):
                self.defined.add(node.arg)

    def qualify(self, node: ast.AST) -> str | None:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.aliases.get(node.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])
