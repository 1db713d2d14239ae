"""References to blocked names, resolved through the syntax tree (aliases included)."""
from __future__ import annotations

import ast
from typing import Any

from .blocked import BLOCKED_BUILTINS, BLOCKED_DUNDERS, BLOCKED_METHODS, is_blocked
from .resolver import Resolver
from .source import Source


def references(tree: ast.Module, resolver: Resolver, src: Source) -> list[dict[str, Any]]:
    found = []

    def add(node: ast.AST, name: str, kind: str) -> None:
        found.append({"name": name, "kind": kind, **src.span(getattr(node, "lineno", None), getattr(node, "col_offset", None),
                                                             getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))})

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in BLOCKED_DUNDERS:
                add(node, node.attr, "dunder")
                continue
            qualified = resolver.qualify(node)
            if qualified and is_blocked(qualified):
                add(node, qualified, "attribute")
            elif node.attr in BLOCKED_METHODS:
                add(node, f"loop.{node.attr}", "attribute")
        elif isinstance(node, ast.Name):
            if node.id in BLOCKED_DUNDERS:
                add(node, node.id, "dunder")
            elif node.id in resolver.aliases and node.id not in resolver.from_imported:
                continue  # a module alias; attributes of it are checked above
            elif node.id in resolver.from_imported and is_blocked(resolver.aliases[node.id]):
                add(node, resolver.aliases[node.id], "attribute")
            elif node.id in BLOCKED_BUILTINS and node.id not in resolver.defined and node.id not in resolver.aliases:
                add(node, node.id, "builtin")
    return found
