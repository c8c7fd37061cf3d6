"""Adding and removing elements of comma-separated LibCST sequences (import names,
list literals) while keeping the author's layout: one-per-line stays one-per-line,
a trailing comma stays, comments stay with their element."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import libcst as cst

E = TypeVar("E", cst.ImportAlias, cst.BaseElement)


def _without_comments(comma: cst.Comma) -> cst.Comma:
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        first = after.first_line.with_changes(comment=None)
        after = after.with_changes(first_line=first, empty_lines=[])
    return comma.with_changes(whitespace_after=after)


def _separator(
    elements: Sequence[E], opening: cst.BaseParenthesizableWhitespace | None
) -> cst.Comma:
    """The comma (with its whitespace) that sits between two elements."""
    if len(elements) >= 2:
        comma = elements[-2].comma
        if isinstance(comma, cst.Comma):
            return _without_comments(comma)
    if isinstance(opening, cst.ParenthesizedWhitespace):
        # One element laid out on its own line: the next one goes on its own line too.
        clean = opening.with_changes(
            first_line=opening.first_line.with_changes(comment=None), empty_lines=[]
        )
        return cst.Comma(whitespace_after=clean)
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def insert_element(
    elements: Sequence[E],
    new: E,
    index: int,
    opening: cst.BaseParenthesizableWhitespace | None = None,
) -> list[E]:
    """`elements` with `new` at `index`; `opening` is the whitespace after the bracket."""
    items = list(elements)
    if not items:
        return [new.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    separator = _separator(items, opening)
    if index >= len(items):
        last = items[-1]
        items[-1] = last.with_changes(comma=separator)
        items.append(new.with_changes(comma=last.comma))
        return items
    items.insert(index, new.with_changes(comma=separator))
    return items


def remove_element(elements: Sequence[E], index: int) -> list[E]:
    items = list(elements)
    removed = items.pop(index)
    if items and index == len(items):  # removed the last one: its comma keeps the layout
        items[-1] = items[-1].with_changes(comma=removed.comma)
    return items


def sorted_position(names: Sequence[str], new: str) -> int:
    """Where `new` goes: in order when `names` are sorted, else at the end."""
    if list(names) != sorted(names):
        return len(names)
    for position, name in enumerate(names):
        if new < name:
            return position
    return len(names)
