"""Keeping `__all__` in sync: add or remove names in its list/tuple literal(s),
touching nothing but those elements."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from carve.core.fixes.sequences import insert_element, remove_element, sorted_position
from carve.core.fixes.text import Replacement, logical_line_end

_ASSIGNMENT = re.compile(r"^__all__[ \t]*(?::[^=\n]*)?(?:\+)?=", re.MULTILINE)
_MODULE = cst.Module([])


@dataclass(slots=True)
class _Statement:
    start: int
    end: int
    node: cst.SimpleStatementLine

    @property
    def literal(self) -> cst.List | cst.Tuple | None:
        body = self.node.body[0] if self.node.body else None
        value = getattr(body, "value", None)
        return value if isinstance(value, (cst.List, cst.Tuple)) else None


def edit_dunder_all(
    text: str, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> list[Replacement] | None:
    """Replacements adding/removing names in `__all__`; None when `__all__` is not a
    literal this can edit (built dynamically, or absent while names must be added)."""
    statements = [s for s in _statements(text) if s.literal is not None]
    if not statements:
        return None if add else []
    present = {name for s in statements for name in _names(s)}
    replacements: list[Replacement] = []
    for position, statement in enumerate(statements):
        literal = statement.literal
        assert literal is not None
        elements: list[cst.BaseElement] = list(literal.elements)
        for name in remove:
            index = _index_of(elements, name)
            while index is not None:
                elements = remove_element(elements, index)
                index = _index_of(elements, name)
        if position == 0:
            for name in add:
                if name in present:
                    continue
                names = [_value(e) or "" for e in elements]
                new = cst.Element(cst.SimpleString(_quote(elements, name)))
                opening = _opening(literal)
                elements = insert_element(elements, new, sorted_position(names, name), opening)
        if elements != list(literal.elements):
            replacements.append(_render(statement, literal, elements))
    return replacements


def _render(
    statement: _Statement, literal: cst.List | cst.Tuple, elements: list[cst.BaseElement]
) -> Replacement:
    new_literal = literal.with_changes(elements=elements)
    if isinstance(literal, cst.Tuple) and not literal.lpar and len(elements) <= 1:
        # `__all__ = "a", "b"` down to one element needs its trailing comma
        new_literal = cst.Tuple(
            [e.with_changes(comma=cst.Comma()) for e in elements],
            lpar=[cst.LeftParen()],
            rpar=[cst.RightParen()],
        )
    body = statement.node.body[0].with_changes(value=new_literal)
    node = statement.node.with_changes(body=[body, *statement.node.body[1:]])
    code = _MODULE.code_for_node(node)
    return Replacement(statement.start, statement.end, code.rstrip("\r\n"))


def _opening(literal: cst.List | cst.Tuple) -> cst.BaseParenthesizableWhitespace | None:
    if isinstance(literal, cst.List):
        return literal.lbracket.whitespace_after
    return literal.lpar[0].whitespace_after if literal.lpar else None


def _value(element: cst.BaseElement) -> str | None:
    value = element.value
    if isinstance(value, cst.SimpleString):
        evaluated = value.evaluated_value
        return evaluated if isinstance(evaluated, str) else None
    return None


def _names(statement: _Statement) -> Iterator[str]:
    literal = statement.literal
    for element in literal.elements if literal is not None else ():
        value = _value(element)
        if value is not None:
            yield value


def _index_of(elements: Sequence[cst.BaseElement], name: str) -> int | None:
    for index, element in enumerate(elements):
        if _value(element) == name:
            return index
    return None


def _quote(elements: Sequence[cst.BaseElement], name: str) -> str:
    for element in elements:
        if isinstance(element.value, cst.SimpleString):
            quote = element.value.quote
            if quote in ("'", '"'):
                return f"{quote}{name}{quote}"
    return f'"{name}"'


def _statements(text: str) -> Iterator[_Statement]:
    """Top-level `__all__ =`, `__all__ +=`, `__all__: list[str] =` statements."""
    for match in _ASSIGNMENT.finditer(text):
        end = logical_line_end(text, match.start())
        if end is None:
            continue
        source = text[match.start() : end]
        try:
            node = cst.parse_statement(source)
        except cst.ParserSyntaxError:
            continue
        if isinstance(node, cst.SimpleStatementLine):
            yield _Statement(match.start(), end, node)
