"""Import blocks kept the way isort (ruff `I001`) wants them after a move.

A block is a run of import statements at one indentation with only blank lines and
comments between them: the top of a module, the body of `if TYPE_CHECKING:`, a
function's imports. A block is *clean* when its statements are in `ImportOrder` and
sections are separated by exactly one blank line. Comments directly above a statement
belong to it and have a blank line above them, as ruff lays them out; those above the
block stay above it. After planning, every clean block an edit touched is laid out again in
that order, so the statements a move adds, re-aims or removes leave it clean; a block
that was not clean keeps the edits where they were made.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from carve.core.refactor.edits.import_order import ImportOrder, SortKey, section_of
from carve.core.refactor.edits.splices import FileEdit, LineIndex, Splice, is_blank, split_lines
from carve.core.summary import Import


@dataclass(frozen=True, slots=True)
class Entry:
    """One statement of a block: its lines (comments above it included) and its place."""

    key: SortKey
    text: str


def arrange(entries: Iterable[Entry], newline: str) -> str:
    """The entries in order, one blank line between sections and above a comment."""
    out: list[str] = []
    previous: SortKey | None = None
    for entry in sorted(entries, key=lambda e: e.key):
        commented = entry.text.lstrip().startswith("#")
        if previous is not None and (commented or section_of(previous) != section_of(entry.key)):
            out.append(newline)
        out.append(entry.text if entry.text.endswith(("\n", "\r")) else entry.text + newline)
        previous = entry.key
    return "".join(out)


def parse_block(text: str, order: ImportOrder) -> list[Entry] | None:
    """The statements of a block's text, or None when it is not one block of whole-line
    import statements (code, `;`, a comment standing apart, mixed indentation)."""
    lines = split_lines(text)
    indent = next((ln[: len(ln) - len(ln.lstrip())] for ln in lines if not is_blank(ln)), "")
    if any(not is_blank(ln) and not ln.startswith(indent) for ln in lines):
        return None
    try:
        tree = ast.parse(textwrap.dedent(text) if indent else text)
    except SyntaxError:
        return None
    entries: list[Entry] = []
    previous_end = 0
    for node in tree.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno <= previous_end:
            return None
        first = node.lineno
        while first - 1 > previous_end and lines[first - 2].lstrip().startswith("#"):
            first -= 1
        if not all(is_blank(ln) for ln in lines[previous_end : first - 1]):
            return None
        last = node.end_lineno or node.lineno
        entries.append(Entry(order.key_of_node(node), "".join(lines[first - 1 : last])))
        previous_end = last
    if any(not is_blank(ln) for ln in lines[previous_end:]):
        return None
    return entries


def is_clean(text: str, order: ImportOrder, newline: str) -> bool:
    entries = parse_block(text, order)
    return bool(entries) and "isort:" not in text and arrange(entries or [], newline) == text


def block_ranges(statements: Iterable[Import], lines: LineIndex) -> list[tuple[int, int]]:
    """(first line, last line) of each block of a module's import statements."""
    ranges: list[list[int]] = []
    previous: Import | None = None
    for statement in sorted(statements, key=lambda s: (s.line, s.column)):
        joins = (
            previous is not None
            and statement.column == previous.column
            and statement.line > previous.end_line
            and all(
                _blank_or_comment(lines.line(n))
                for n in range(previous.end_line + 1, statement.line)
            )
        )
        if joins:
            ranges[-1][1] = statement.end_line
        else:
            ranges.append([statement.line, statement.end_line])
        previous = statement
    return [(first, last) for first, last in ranges]


def keep_blocks_sorted(
    edit: FileEdit, statements: Iterable[Import], order: ImportOrder, newline: str
) -> None:
    """Lay out again, in order, each clean block of the file that the edit changes."""
    for first, last in block_ranges(statements, edit.lines):
        original = edit.lines.span(first, last)
        indent = original[: len(original) - len(original.lstrip())]
        region = edit.region(first, last, partial(_is_block_text, indent=indent))
        if region is None or not region.changed:
            continue
        if not is_clean(original, order, newline):
            continue
        entries = parse_block(region.text, order)
        if not entries:
            continue
        # replaced even when the text comes out the same: a deletion left pending would
        # take a blank line along when it empties what looks like a section
        edit.replace_region(region, arrange(entries, newline))


def _is_block_text(splice: Splice, *, indent: str) -> bool:
    """An insertion at a block's edge that adds statements to it (same indentation)."""
    lines = [ln for ln in split_lines(splice.text) if not is_blank(ln)]
    if not lines or not lines[0].startswith(indent) or lines[0][len(indent)].isspace():
        return False
    try:
        tree = ast.parse(textwrap.dedent(splice.text.strip("\r\n")))
    except SyntaxError:
        return False
    return all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)


def _blank_or_comment(line: str) -> bool:
    return is_blank(line) or line.lstrip().startswith("#")
