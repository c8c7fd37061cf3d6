"""Findings: what a rule reports, in protocol-neutral terms."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Span:
    """A source range: 1-based lines, 0-based columns in code points."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace `span` in `path` with `new_text` (positions as in Span)."""

    path: Path
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    path: Path
    span: Span
    message: str
    severity: Severity = Severity.WARNING
    # Stable identity for baselines: survives line shifts (a class, an imported name...).
    symbol: str = ""
    fix: Fix | None = None
    # Extra data for quick fixes (e.g. candidate modules); never shown to the user.
    data: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path.as_posix(), self.span.line, self.span.column, self.rule)
