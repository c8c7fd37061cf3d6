"""A module's interface: what other files' findings can depend on.

Rules read other modules only through their names, kinds, imports, used names and
`__all__` (never a line, a column, a line count or a suppression of another file: a
finding's span and message come from its own file). The interface digest is the summary
with every position left out, so two versions of a file with equal digests give every
*other* file the same findings: a body or comment edit re-checks that file alone.

Fields are read generically: a field added to a summary (or to a definition or import)
later is part of the interface unless it is listed here as own-file only, so forgetting
this module costs a re-check, never a stale finding.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Iterable

from carve.core.summary import Definition, Import, ImportedName, ModuleSummary

# Positions of definitions, imports and imported names: only their own file reads them.
_POSITIONS = frozenset({"line", "column", "end_line", "end_column"})
# Summary fields only the file's own findings read (file-too-long, suppressions, the
# span of a `__all__` finding); parse_error counts as "unreadable or not" (below).
_OWN_FILE = frozenset({"line_count", "dunder_all_line", "suppressions", "parse_error"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def interface_digest(summary: ModuleSummary) -> str:
    parts = _known_fields(summary) if _SHAPES_KNOWN else _generic(summary)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _known_fields(summary: ModuleSummary) -> object:
    """The fields of today's summary, read directly (10x faster than `_generic`)."""
    return (
        tuple((key, d.name, d.kind.value) for key, d in summary.definitions.items()),
        tuple(
            (
                i.module,
                i.level,
                i.from_import,
                i.context.value,
                i.in_try,
                tuple((n.name, n.alias) for n in i.names),
            )
            for i in summary.imports
        ),
        tuple(sorted(summary.used_names)),
        summary.dunder_all,
        summary.all_dynamic,
        summary.all_extends,
        summary.has_getattr,
        summary.internal_error,
        summary.parse_error is not None,
    )


def _generic(summary: ModuleSummary) -> object:
    parts = [_plain(getattr(summary, name)) for name in _kept(type(summary), _OWN_FILE)]
    parts.append(summary.parse_error is not None)
    return parts


def _kept(cls: type, left_out: Iterable[str]) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        skipped = set(left_out)
        names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in skipped)
        _FIELDS[cls] = names
    return names


def _plain(value: object) -> object:
    """`value` as nested tuples of plain values, positions left out."""
    if isinstance(value, (str, int, bool, type(None))):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, _plain(item)) for key, item in value.items())
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value, key=repr))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        return (cls.__name__, *(_plain(getattr(value, n)) for n in _kept(cls, _POSITIONS)))
    return repr(value)


# The fields `_known_fields` reads; a summary of another shape takes the generic path.
_SHAPES = {
    ModuleSummary: {
        "definitions",
        "imports",
        "used_names",
        "dunder_all",
        "all_dynamic",
        "all_extends",
        "has_getattr",
        "internal_error",
    },
    Definition: {"name", "kind"},
    Import: {"module", "level", "names", "from_import", "context", "in_try"},
    ImportedName: {"name", "alias"},
}
_SHAPES_KNOWN = all(
    set(_kept(cls, _OWN_FILE if cls is ModuleSummary else _POSITIONS)) == fields
    for cls, fields in _SHAPES.items()
)
