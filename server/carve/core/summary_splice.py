"""The summary of an edited file without parsing it again, when the edit only rewrites
import statements (what quick fixes do): the old summary with the edited stretches of
import statements summarised on their own and everything below them moved by the lines
they gained or lost. The result equals a full parse's; any edit this cannot prove
that for (code other than imports in an edited stretch, a name newly bound, a block left
empty, a summary older than the text) returns None, and the caller parses the file.

On Django, fix-all's verification re-summarised ~140 edited files (4 MB, ~1 s of CPU);
the stretches it edits are a few lines each.
"""

from __future__ import annotations

import ast
import itertools
import warnings
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import TypeVar

from carve.core.parse import summarize_text
from carve.core.source import line_count
from carve.core.summary import (
    Definition,
    Import,
    ImportContext,
    ImportedName,
    ModuleSummary,
    Suppression,
)

Edit = tuple[int, int, str]  # replace old_text[start:end] with text
_Lined = TypeVar("_Lined", ImportedName, Suppression)

# The summary fields this module knows how to carry over; a field added later makes it
# step aside (a full parse) until it learns that field too.
_KNOWN_FIELDS = frozenset(
    {
        "line_count",
        "definitions",
        "imports",
        "used_names",
        "dunder_all",
        "dunder_all_line",
        "all_dynamic",
        "all_extends",
        "has_getattr",
        "suppressions",
        "parse_error",
        "internal_error",
    }
)
_SUMMARY_FIELDS = frozenset(f.name for f in fields(ModuleSummary))


class _NotSpliceable(Exception):
    """The edit is not one this module can prove the summary of: parse the file."""


def spliced_summary(
    old: ModuleSummary, old_text: str, new_text: str, edits: Sequence[Edit]
) -> ModuleSummary | None:
    """`new_text`'s summary from `old` (`old_text`'s), `edits` turning one into the
    other; None when only a full parse can tell."""
    if _SUMMARY_FIELDS != _KNOWN_FIELDS or old.parse_error is not None or old.internal_error:
        return None
    if not edits or "\r" in old_text or "\r" in new_text:
        return None
    if line_count(old_text) != old.line_count:
        return None  # the summary is not of this text
    try:
        splice = _Splice(old, old_text)
        for start, end, new in reversed(_hunks(old, old_text, edits)):
            splice.splice(start, end, new)
        return splice.finish(new_text)
    except _NotSpliceable:
        return None


class _Splice:
    """The old summary's parts, edited hunk by hunk from the bottom of the file up (so
    a hunk's line numbers are still the old text's)."""

    def __init__(self, old: ModuleSummary, text: str) -> None:
        self.old = old
        self.text = text
        self.imports = list(old.imports)
        self.definitions = dict(old.definitions)
        self.suppressions = list(old.suppressions)
        self.dunder_all_line = old.dunder_all_line

    def splice(self, start: int, end: int, new: str) -> None:
        """Old text[start:end] (whole lines) becomes `new` (whole lines)."""
        first = self.text.count("\n", 0, start) + 1
        old_lines = line_count(self.text[start:end])
        last, delta = first + old_lines - 1, line_count(new) - old_lines
        positions = [i for i, s in enumerate(self.imports) if first <= s.line <= last]
        if not positions or positions != list(range(positions[0], positions[-1] + 1)):
            raise _NotSpliceable
        before = self.imports[positions[0] : positions[-1] + 1]
        context, in_try, column = before[0].context, before[0].in_try, before[0].column
        if any((s.context, s.in_try, s.column) != (context, in_try, column) for s in before):
            raise _NotSpliceable
        region = self.text[start:end]
        indent = _indent(region, before[0].line - first, column)
        old_region = _region(region, first, column)
        if _placed(old_region.imports, context, in_try) != before:
            raise _NotSpliceable  # the summary is older than the text, or reads it otherwise
        new_region = _region(new, first, column)
        after = _placed(new_region.imports, context, in_try)
        for text, statements in ((region, before), (new, after)):
            for statement in statements:
                if (
                    statement.column != column
                    or _indent(text, statement.line - first, column) != indent
                ):
                    raise _NotSpliceable  # a different block, or indented otherwise
        self._move_definitions(first, last, delta, before, after)
        moved = [_moved_import(s, last, delta) for s in self.imports]
        moved[positions[0] : positions[-1] + 1] = after
        self.imports = moved
        self.suppressions = [
            *(s for s in self.suppressions if s.line < first),
            *new_region.suppressions,
            *(_moved_line(s, delta) for s in self.suppressions if s.line > last),
        ]
        if self.dunder_all_line > last:
            self.dunder_all_line += delta

    def _move_definitions(
        self, first: int, last: int, delta: int, before: list[Import], after: list[Import]
    ) -> None:
        """Definitions below move; one whose body ends with the hunk's last import ends
        with the new last import."""
        old_end = max(s.end_line for s in before)
        new_end = max((s.end_line for s in after), default=None)
        for name, definition in self.definitions.items():
            if definition.line > last:
                self.definitions[name] = _moved_definition(definition, delta)
            elif definition.end_line > last:
                self.definitions[name] = replace(definition, end_line=definition.end_line + delta)
            elif definition.end_line >= first:
                if definition.end_line != old_end or new_end is None:
                    raise _NotSpliceable
                self.definitions[name] = replace(definition, end_line=new_end)

    def finish(self, new_text: str) -> ModuleSummary:
        old = self.old
        bound_before = _bound(old.imports)
        bound_after = _bound(self.imports)
        if not bound_after <= bound_before:
            raise _NotSpliceable  # whether the module reads a newly bound name is unknown
        return replace(
            old,
            line_count=line_count(new_text),
            definitions=self.definitions,
            imports=self.imports,
            used_names=old.used_names & bound_after,
            dunder_all_line=self.dunder_all_line,
            suppressions=self.suppressions,
        )


def _hunks(old: ModuleSummary, text: str, edits: Sequence[Edit]) -> list[tuple[int, int, str]]:
    """The edits grouped into stretches of whole lines, each widened to the whole import
    statements it touches: (start, end, new text) in the old text's offsets."""
    spans = _statement_spans(old, text)
    hunks: list[tuple[int, int, list[Edit]]] = []
    for edit in sorted(edits, key=lambda e: (e[0], e[1])):
        start, end, new = edit
        low = text.rfind("\n", 0, start) + 1
        high = end if end > start and text[end - 1] == "\n" else _next_line(text, end)
        if end > start and text[end - 1] == "\n" and new and not new.endswith("\n"):
            high = _next_line(text, end)  # the new text runs into the next line
        low, high = _widen(spans, low, high)
        group = [edit]
        while hunks and low < hunks[-1][1]:
            previous = hunks.pop()
            low, high = _widen(spans, min(low, previous[0]), max(high, previous[1]))
            group = [*previous[2], *group]
        hunks.append((low, high, group))
    result = []
    for low, high, group in hunks:
        pieces, position = [], low
        for start, end, new in group:
            if start < position:
                raise _NotSpliceable  # overlapping edits
            pieces += [text[position:start], new]
            position = end
        pieces.append(text[position:high])
        region = "".join(pieces)
        if region and not region.endswith("\n") and high < len(text):
            raise _NotSpliceable
        result.append((low, high, region))
    return result


def _statement_spans(old: ModuleSummary, text: str) -> list[tuple[int, int]]:
    """Each import statement's whole lines, as old-text offsets."""
    starts = _line_starts(text)
    spans = []
    for statement in old.imports:
        if statement.end_line > len(starts):
            raise _NotSpliceable
        end = starts[statement.end_line] if statement.end_line < len(starts) else len(text)
        spans.append((starts[statement.line - 1], end))
    return spans


def _widen(spans: list[tuple[int, int]], low: int, high: int) -> tuple[int, int]:
    changed = True
    while changed:
        changed = False
        for start, end in spans:
            if start < high and low < end and (start < low or end > high):
                low, high, changed = min(low, start), max(high, end), True
    return low, high


def _line_starts(text: str) -> list[int]:
    return [0, *itertools.accumulate(map(_PLUS_ONE, map(len, text.split("\n")[:-1])))]


_PLUS_ONE = (1).__add__


def _next_line(text: str, offset: int) -> int:
    found = text.find("\n", offset)
    return len(text) if found == -1 else found + 1


def _indent(text: str, line_index: int, column: int) -> str:
    """The first `column` characters of the `line_index`-th (0-based) line of `text`:
    an import's indentation (whitespace, or the statement does not start its line)."""
    offset = 0
    for _ in range(line_index):
        offset = text.index("\n", offset) + 1
    indent = text[offset : offset + column]
    if indent.strip():
        raise _NotSpliceable
    return indent


def _placed(imports: list[Import], context: ImportContext, in_try: bool) -> list[Import]:
    """A stretch's imports as they sit in the file: in the block of the ones replaced."""
    return [replace(s, context=context, in_try=in_try) for s in imports]


def _region(text: str, first: int, column: int) -> ModuleSummary:
    """The summary of a stretch of import statements starting at line `first`, as it
    would sit in the file (same lines and columns): indented ones under an `if 1:`."""
    if column:
        if first < 2:
            raise _NotSpliceable
        source = "\n" * (first - 2) + "if 1:\n" + text
    else:
        source = "\n" * (first - 1) + text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        raise _NotSpliceable from exc
    body = tree.body
    if column:
        if len(body) != 1 or not isinstance(body[0], ast.If) or body[0].orelse:
            raise _NotSpliceable
        body = body[0].body
    if not all(isinstance(statement, ast.Import | ast.ImportFrom) for statement in body):
        raise _NotSpliceable  # only imports: they define and read nothing
    summary = summarize_text(source)
    if (
        summary.parse_error is not None
        or summary.definitions
        or summary.has_getattr
        or summary.dunder_all is not None
        or summary.all_dynamic
        or summary.all_extends
        or any(s.line < first for s in summary.suppressions)
    ):
        raise _NotSpliceable
    return summary


def _bound(imports: list[Import]) -> set[str]:
    return {name.bound for statement in imports for name in statement.names}


def _moved_import(statement: Import, last: int, delta: int) -> Import:
    if statement.line <= last or not delta:
        return statement
    names = tuple(_moved_line(name, delta) for name in statement.names)
    return replace(
        statement,
        names=names,
        line=statement.line + delta,
        end_line=statement.end_line + delta,
    )


def _moved_definition(definition: Definition, delta: int) -> Definition:
    return replace(definition, line=definition.line + delta, end_line=definition.end_line + delta)


def _moved_line(item: _Lined, delta: int) -> _Lined:
    return replace(item, line=item.line + delta)
