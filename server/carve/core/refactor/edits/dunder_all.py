"""Keeping `__all__` in sync: add names to a static `__all__ = [...]` list or tuple."""

from __future__ import annotations

import ast

import libcst as cst

from carve.core.refactor.edits.import_edits import render, with_item
from carve.core.refactor.edits.splices import FileEdit


def dunder_all_node(tree: ast.Module) -> ast.Assign | ast.AnnAssign | None:
    """The first top-level `__all__ = [...]` / `(...)` assignment."""
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = getattr(node, "value", None)
            if isinstance(value, (ast.List, ast.Tuple)):
                return node  # type: ignore[return-value]
            return None
    return None


def add_to_dunder_all(edit: FileEdit, tree: ast.Module, names: list[str]) -> bool:
    """Add `names` (those missing) to `__all__`; False when there is no static one."""
    node = dunder_all_node(tree)
    if node is None:
        return False
    lines = edit.lines
    start = lines.offset_bytes(node.lineno, node.col_offset)
    end = lines.offset_bytes(node.end_lineno or node.lineno, node.end_col_offset or 0)
    statement = cst.parse_statement(lines.text[start:end])
    assert isinstance(statement, cst.SimpleStatementLine)
    small = statement.body[0]
    assert isinstance(small, (cst.Assign, cst.AnnAssign))
    sequence = small.value
    assert isinstance(sequence, (cst.List, cst.Tuple))
    present = {_string_value(e.value) for e in sequence.elements}
    missing = [n for n in names if n not in present]
    if not missing:
        return True
    elements = list(sequence.elements)
    quote = _quote(elements)
    for name in missing:
        elements = _with_element(elements, f"{quote}{name}{quote}", sequence)
    edit.replace(
        start, end, render(small.with_changes(value=sequence.with_changes(elements=elements)))
    )
    return True


def _with_element(
    elements: list[cst.BaseElement], literal: str, sequence: cst.List | cst.Tuple
) -> list[cst.BaseElement]:
    values = [_string_value(e.value) for e in elements]
    name = literal[1:-1]
    at = len(values)
    if values == sorted(values):
        at = next((i for i, v in enumerate(values) if v > name), len(values))
    opening: cst.LeftSquareBracket | cst.LeftParen | None = (
        sequence.lbracket
        if isinstance(sequence, cst.List)
        else (sequence.lpar[0] if sequence.lpar else None)
    )
    new: cst.BaseElement = cst.Element(cst.SimpleString(literal))
    whitespace = opening.whitespace_after if opening is not None else None
    return with_item(elements, at, new, whitespace)


def _string_value(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else ""
    return ""


def _quote(elements: list[cst.BaseElement]) -> str:
    for element in elements:
        if isinstance(element.value, cst.SimpleString):
            return element.value.quote[0] if element.value.quote else '"'
    return '"'
