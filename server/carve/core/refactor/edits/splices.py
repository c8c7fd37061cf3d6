"""Text surgery: line/offset arithmetic and non-overlapping splices applied in one pass."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from carve.core.fixes.text import Replacement, apply_replacements

# Python's tokenizer ends lines at \r\n, \r or \n only (not \f, \v, \x1c, \u2028...).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, exactly as Python numbers them."""
    return _LINE.findall(text)


def newline_of(text: str) -> str:
    """The file's line ending (first one found), for lines carve adds."""
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


def is_blank(line: str) -> bool:
    return not line.strip()


class LineIndex:
    """1-based line numbers and code-point columns → offsets into `text`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)
        self.starts: list[int] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self.starts.append(offset)  # one past the end: "start" of a line after the last

    @property
    def count(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        """Line `number` (1-based) with its ending; "" past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def start(self, number: int) -> int:
        """Offset where line `number` starts (end of text past the last line)."""
        return self.starts[min(max(number, 1), len(self.starts)) - 1]

    def end(self, number: int) -> int:
        """Offset just after line `number`'s ending."""
        return self.start(number + 1)

    def offset(self, number: int, column: int) -> int:
        return self.start(number) + column

    def offset_bytes(self, number: int, byte_column: int) -> int:
        """`ast` columns count UTF-8 bytes; convert to a text offset."""
        line = self.line(number)
        if line.isascii():
            return self.start(number) + byte_column
        prefix = line.encode("utf-8")[:byte_column].decode("utf-8", "replace")
        return self.start(number) + len(prefix)

    def span(self, first: int, last: int) -> str:
        """Lines first..last inclusive."""
        return self.text[self.start(first) : self.end(last)]


@dataclass(frozen=True, slots=True)
class Splice:
    """Replace text[start:end] with `text`; start == end inserts."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Region:
    """Lines first..last of a file as the pending edits leave them."""

    first: int
    last: int
    text: str
    splices: tuple[Splice, ...]  # the edits inside the lines
    deletions: tuple[tuple[int, int], ...]

    @property
    def changed(self) -> bool:
        return bool(self.splices or self.deletions)


class FileEdit:
    """Edits collected for one file by several planning steps, applied once.

    Whole-line deletions are kept apart: adjacent ones merge, and a deletion that
    would leave two blank lines where there was one (an import section emptied)
    takes one of them along, so deleting and re-adding a section restores the text.
    """

    def __init__(self, original: str, lines: LineIndex | None = None) -> None:
        self.original = original
        self.lines = lines if lines is not None else LineIndex(original)
        self.splices: list[Splice] = []
        self._deleted: list[tuple[int, int]] = []

    def replace(self, start: int, end: int, text: str) -> None:
        self.splices.append(Splice(start, end, text))

    def insert(self, offset: int, text: str) -> None:
        self.splices.append(Splice(offset, offset, text))

    def insert_after_line(self, line: int, text: str) -> None:
        """Insert whole lines after line `line` (a missing final newline is added)."""
        ending = self.lines.line(line)
        prefix = "" if ending.endswith(("\n", "\r")) or not ending else newline_of(self.original)
        self.insert(self.lines.end(line), prefix + text)

    def delete_lines(self, first: int, last: int) -> None:
        self._deleted.append((first, last))

    def covers(self, start: int, end: int) -> bool:
        """Whether a pending replacement already touches [start, end)."""
        return any(s.start < end and start < s.end for s in self.splices if s.start != s.end)

    def region(self, first: int, last: int, claims: Callable[[Splice], bool]) -> Region | None:
        """Lines first..last after the edits inside them (and the insertions at their
        edges that `claims` accepts); None when an edit straddles their edges."""
        start, end = self.lines.start(first), self.lines.end(last)
        inside: list[Splice] = []
        for splice in self.splices:
            if splice.start == splice.end:
                edge = splice.start in (start, end)
                if start < splice.start < end or (edge and claims(splice)):
                    inside.append(splice)
            elif start <= splice.start and splice.end <= end:
                inside.append(splice)
            elif splice.start < end and start < splice.end:
                return None
        deletions = [(a, b) for a, b in self._deleted if first <= a and b <= last]
        if any(a <= last and first <= b for a, b in self._deleted if (a, b) not in deletions):
            return None
        local = [Splice(s.start - start, s.end - start, s.text) for s in inside]
        for a, b in deletions:
            local.append(Splice(self.lines.start(a) - start, self.lines.end(b) - start, ""))
        try:
            text = apply_splices(self.original[start:end], local)
        except ValueError:
            return None
        return Region(first, last, text, tuple(inside), tuple(deletions))

    def replace_region(self, region: Region, text: str) -> None:
        """Replace what `region` covers, its edits included, with `text`."""
        self.splices = [s for s in self.splices if not any(s is r for r in region.splices)]
        self._deleted = [d for d in self._deleted if d not in region.deletions]
        start, end = self.lines.start(region.first), self.lines.end(region.last)
        self.splices.append(Splice(start, end, text))

    def result(self) -> str:
        return apply_splices(self.original, [*self.splices, *self._deletion_splices()])

    def is_deleted(self, line: int) -> bool:
        return any(first <= line <= last for first, last in self._deleted)

    def _deletion_splices(self) -> list[Splice]:
        lines = self.lines
        merged: list[list[int]] = []
        for first, last in sorted(self._deleted):
            between = range(merged[-1][1] + 1, first) if merged else range(0)
            if merged and all(is_blank(lines.line(n)) for n in between):
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        inserts = [s.start for s in self.splices if s.start == s.end]
        splices = []
        for first, last in merged:
            if first == 1:  # nothing above: no leading blank lines (unless text comes here)
                while (
                    last < lines.count
                    and is_blank(lines.line(last + 1))
                    and not any(lines.start(first) <= o <= lines.end(last) for o in inserts)
                ):
                    last += 1
            elif last >= lines.count:  # nothing below: no trailing blank lines either
                while (
                    first > 1
                    and is_blank(lines.line(first - 1))
                    and not any(lines.start(first - 1) < o <= lines.start(first) for o in inserts)
                ):
                    first -= 1
            elif first > 1 and is_blank(lines.line(first - 1)) and is_blank(lines.line(last + 1)):
                last += 1
            start, end = lines.start(first), lines.end(last)
            cuts = sorted({o for o in inserts if start < o < end})  # text added in there stays
            for a, b in zip([start, *cuts], [*cuts, end], strict=True):
                splices.append(Splice(a, b, ""))
        return splices


def apply_splices(text: str, splices: list[Splice]) -> str:
    """Apply splices; insertions at one offset keep the order they were added in."""
    return apply_replacements(text, (Replacement(s.start, s.end, s.text) for s in splices))
