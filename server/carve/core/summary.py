"""Per-module summaries: what the index knows about one file, cheap to cache.

A summary is built once per content hash by `gather` and never holds a syntax tree.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class DefKind(str, enum.Enum):
    CLASS = "class"
    FUNCTION = "function"
    VARIABLE = "variable"
    TYPE_ALIAS = "type"


class ImportContext(str, enum.Enum):
    """Where an import statement runs; only MODULE imports run at import time."""

    MODULE = "module"
    TYPE_CHECKING = "type_checking"
    LAZY = "lazy"  # inside a function


@dataclass(frozen=True)
class Definition:
    name: str
    kind: DefKind
    line: int
    column: int
    end_line: int


@dataclass(frozen=True)
class ImportedName:
    """`name` as `alias` (alias is None when not renamed). `name == "*"` for star imports."""

    name: str
    alias: str | None
    line: int
    column: int
    end_column: int

    @property
    def bound(self) -> str:
        """The name this import binds in the importing module."""
        return self.alias or self.name

    @property
    def explicit_reexport(self) -> bool:
        return self.alias is not None and self.alias == self.name


@dataclass(frozen=True)
class Import:
    """One import statement.

    `from_import` distinguishes `from M import a` (names) from `import M` (names hold
    the dotted module names). `level` counts leading dots of a relative import.
    """

    module: str
    level: int
    names: tuple[ImportedName, ...]
    from_import: bool
    line: int
    column: int
    end_line: int
    end_column: int
    context: ImportContext
    in_try: bool = False


@dataclass(frozen=True)
class Suppression:
    line: int
    rules: tuple[str, ...]
    reason: str
    column: int


@dataclass
class ModuleSummary:
    line_count: int = 0
    definitions: dict[str, Definition] = field(default_factory=dict)
    imports: list[Import] = field(default_factory=list)
    # Imported names the module reads itself (outside import statements): an import
    # nothing reads is a re-export. Other names are left out (nobody asks about them).
    used_names: frozenset[str] = frozenset()
    # None: no __all__. `all_dynamic`: __all__ exists but cannot be read statically.
    dunder_all: tuple[str, ...] | None = None
    dunder_all_line: int = 0
    all_dynamic: bool = False
    # `__all__ += other.__all__`: modules whose __all__ is merged in (resolved later).
    all_extends: tuple[str, ...] = ()
    has_getattr: bool = False  # module-level __getattr__ (PEP 562): names are dynamic
    suppressions: list[Suppression] = field(default_factory=list)
    parse_error: tuple[int, int, str] | None = None  # (line, column, message)
    # carve itself failed on this file (a bug, reported as `internal-error`); parse_error
    # then holds the message, so the index treats the module as unreadable, not empty.
    internal_error: bool = False

    @property
    def class_count(self) -> int:
        return sum(1 for d in self.definitions.values() if d.kind is DefKind.CLASS)

    @property
    def function_count(self) -> int:
        return sum(1 for d in self.definitions.values() if d.kind is DefKind.FUNCTION)
