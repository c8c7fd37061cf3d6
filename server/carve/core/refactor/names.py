"""Names a statement reads, string annotations (`x: "Invoice"`) included."""

from __future__ import annotations

import ast


def names_used(node: ast.AST) -> set[str]:
    """Every name read anywhere in `node` (over-approximate: no scoping)."""
    used: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            if not isinstance(child.ctx, ast.Store):
                used.add(child.id)
        elif isinstance(child, (ast.arg, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef)):
            for annotation in _annotations(child):
                used |= _string_annotation(annotation)
    return used


def _annotations(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.arg):
        return [node.annotation] if node.annotation else []
    if isinstance(node, ast.AnnAssign):
        return [node.annotation]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [node.returns] if node.returns else []
    return []


def _string_annotation(annotation: ast.expr) -> set[str]:
    found: set[str] = set()
    for child in ast.walk(annotation):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            try:
                parsed = ast.parse(child.value.strip(), mode="eval")
            except SyntaxError:
                continue
            found |= names_used(parsed)
    return found
