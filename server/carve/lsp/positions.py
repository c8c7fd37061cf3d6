"""Code-point columns (carve) ↔ LSP positions in the negotiated encoding.

carve counts 1-based lines and 0-based code points; the LSP counts 0-based lines and
UTF-16 code units by default (UTF-8 bytes or UTF-32 code points when negotiated).
Lines break at `\\n`, `\\r\\n` and `\\r`, as the LSP specifies.
"""

from __future__ import annotations

from lsprotocol import types

from carve.core.findings import Span
from carve.core.fixes.text import SourceLines

UTF8 = types.PositionEncodingKind.Utf8.value
UTF16 = types.PositionEncodingKind.Utf16.value
UTF32 = types.PositionEncodingKind.Utf32.value


def units(text: str, encoding: str) -> int:
    """Length of `text` in the encoding's code units."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def code_points(line: str, column: int, encoding: str) -> int:
    """The code-point index of the code-unit `column` in `line` (clamped; a column
    inside a surrogate pair or UTF-8 sequence rounds down)."""
    if encoding == UTF32 or line.isascii():
        return min(column, len(line))
    count = 0
    for index, ch in enumerate(line):
        width = len(ch.encode("utf-8")) if encoding == UTF8 else (2 if ord(ch) > 0xFFFF else 1)
        if count + width > column:
            return index
        count += width
    return len(line)


class LineIndex:
    """Positions of one document text, in one encoding."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines = SourceLines(text)
        self.encoding = encoding

    @property
    def text(self) -> str:
        return self.lines.text

    def position(self, line: int, column: int) -> types.Position:
        """carve (1-based line, code-point column) → LSP Position."""
        count = self.lines.line_count
        if line > count:
            last = self.lines.line_text(count)
            return types.Position(line=count - 1, character=units(last, self.encoding))
        content = self.lines.line_text(max(line, 1))
        column = min(max(column, 0), len(content))
        return types.Position(
            line=max(line, 1) - 1, character=units(content[:column], self.encoding)
        )

    def range(self, span: Span) -> types.Range:
        return types.Range(
            start=self.position(span.line, span.column),
            end=self.position(span.end_line, span.end_column),
        )

    def location(self, position: types.Position) -> tuple[int, int]:
        """LSP Position → carve (1-based line, code-point column), clamped to the text."""
        line = position.line + 1
        if line > self.lines.line_count:
            last = self.lines.line_count
            return last, len(self.lines.line_text(last))
        content = self.lines.line_text(line)
        return line, code_points(content, position.character, self.encoding)

    def offset(self, position: types.Position) -> int:
        line, column = self.location(position)
        return self.lines.offset(line, column)

    def position_at(self, offset: int) -> types.Position:
        line = self.lines.line_of(offset)
        return self.position(line, offset - self.lines.line_start(line))

    def span(self, range_: types.Range) -> Span:
        start = self.location(range_.start)
        end = self.location(range_.end)
        return Span(start[0], start[1], end[0], end[1])
