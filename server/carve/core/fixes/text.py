"""Source text addressed the way findings address it: 1-based lines, code-point columns.

Lines end at `\\n`, `\\r\\n` or `\\r`, as Python's tokenizer (and the LSP) count them.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass

_NEWLINE = re.compile(r"\r\n|\r|\n")
_PLUS_ONE = (1).__add__


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace text[start:end] (code-point offsets) with `text`."""

    start: int
    end: int
    text: str


class SourceLines:
    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            starts = [0]
            starts.extend(match.end() for match in _NEWLINE.finditer(text))
        else:  # the common case, without a regular expression match per line (~4x faster)
            starts = [0, *itertools.accumulate(map(_PLUS_ONE, map(len, text.split("\n")[:-1])))]
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based `line` (clamped to the text)."""
        if line < 1:
            return 0
        if line > len(self._starts):
            return len(self.text)
        return self._starts[line - 1]

    def line_end(self, line: int) -> int:
        """Offset just before `line`'s line break."""
        start = self.line_start(line)
        match = _NEWLINE.search(self.text, start)
        return match.start() if match else len(self.text)

    def next_line_start(self, line: int) -> int:
        """Offset after `line`'s line break (end of text for the last line)."""
        return self.line_start(line + 1) if line < len(self._starts) else len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.line_start(line) : self.line_end(line)]

    def offset(self, line: int, column: int) -> int:
        start = self.line_start(line)
        return min(start + max(column, 0), self.line_end(line))

    def line_of(self, offset: int) -> int:
        """The 1-based line holding `offset`."""
        return bisect.bisect_right(self._starts, offset)

    def newline(self) -> str:
        """The file's line break style (of its first line break)."""
        match = _NEWLINE.search(self.text)
        return match.group() if match else "\n"

    def indentation(self, line: int) -> str:
        content = self.line_text(line)
        return content[: len(content) - len(content.lstrip(" \t"))]


def apply_replacements(text: str, replacements: Iterable[Replacement]) -> str:
    """Apply non-overlapping replacements (any order); raises ValueError on overlap."""
    ordered = sorted(replacements, key=lambda r: (r.start, r.end))
    pieces: list[str] = []
    position = 0
    for item in ordered:
        if item.start < position:
            raise ValueError(f"overlapping edits at offset {item.start}")
        pieces.append(text[position : item.start])
        pieces.append(item.text)
        position = item.end
    pieces.append(text[position:])
    return "".join(pieces)


def logical_line_end(text: str, start: int) -> int | None:
    """Offset where the logical line starting at `start` ends, before any trailing
    comment (brackets, strings and backslash continuations followed); None when the
    text cannot be tokenized."""
    rest = text[start:]
    last_end: tuple[int, int] | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(rest).readline):
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                break
            if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT):
                last_end = token.end
    except (tokenize.TokenError, SyntaxError):
        return None
    if last_end is None:
        return None
    return start + SourceLines(rest).offset(*last_end)
