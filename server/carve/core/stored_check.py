"""A check result as `.carve_cache/` keeps it: the findings with every file's digest and
place in the module set, so the next run can tell what changed since."""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from carve.core.findings import Finding, Fix, Severity, Span, TextEdit

if TYPE_CHECKING:
    from carve.core.discovery import SourceFile
    from carve.core.rules.cycles import StoredTangle
    from carve.core.source import SourceBytes

# posix path → (content digest, the file's place in the module set)
Snapshot = dict[str, tuple[str, str]]
# A fix: its title and edits as (posix path, line, column, end line, end column, text).
_PackedFix = tuple[str, tuple[tuple[str, int, int, int, int, str], ...]]
_Packed = tuple[
    str, str, int, int, int, int, str, str, str, "_PackedFix | None", "dict[str, object]"
]


def snapshot_of(files: list[SourceFile], sources: list[SourceBytes]) -> Snapshot:
    roots: dict[Path, str] = {}
    snapshot: Snapshot = {}
    for file, source in zip(files, sources, strict=True):
        root = roots.get(file.root)
        if root is None:
            root = roots[file.root] = posix(file.root)
        digest = source.digest if source.error is None else f"!{source.error}"
        snapshot[source.key] = (digest, f"{file.module}|{root}|{int(file.is_package)}")
    return snapshot


def posix(path: Path) -> str:
    """`path.as_posix()`, without a replace() where the separator already is `/`."""
    return str(path) if os.sep == "/" else path.as_posix()


@dataclass
class StoredCheck:
    """Findings packed as tuples (unpickling 10k frozen dataclasses is the slow part)."""

    snapshot: Snapshot
    findings: list[_Packed]
    files: int
    # The import graph's tangles (None: the cycle rule did not run): a re-check of files
    # that kept their interfaces reuses them instead of building the whole graph again.
    tangles: list[StoredTangle] | None = None

    @classmethod
    def of(
        cls,
        snapshot: Snapshot,
        findings: list[Finding],
        files: int,
        tangles: list[StoredTangle] | None = None,
    ) -> StoredCheck:
        return cls(snapshot, [_pack(f) for f in findings], files, tangles)

    def changed(self, snapshot: Snapshot) -> list[str] | None:
        """Files whose content changed since, when the module set is the same (the same
        paths, each the same module of the same root); None: the module set changed."""
        if snapshot.keys() != self.snapshot.keys():
            return None
        changed = []
        for path, (digest, place) in snapshot.items():
            old_digest, old_place = self.snapshot[path]
            if place != old_place:
                return None
            if digest != old_digest:
                changed.append(path)
        return changed

    def unpacked(self, leaving_out: Collection[str] = ()) -> list[Finding]:
        """The findings, without those of the files in `leaving_out` (posix paths)."""
        paths: dict[str, Path] = {}
        found = []
        for packed in self.findings:
            rule, path, line, column, end_line, end_column = packed[:6]
            if path in leaving_out:
                continue
            message, severity, symbol, fix, data = packed[6:]
            where = paths.get(path)
            if where is None:
                where = paths[path] = Path(path)
            span = Span(line, column, end_line, end_column)
            fixed = None if fix is None else _unpack_fix(fix, paths)
            found.append(
                Finding(rule, where, span, message, Severity(severity), symbol, fixed, data)
            )
        return found


def _unpack_fix(packed: _PackedFix, paths: dict[str, Path]) -> Fix:
    title, edits = packed
    unpacked = []
    for path, line, column, end_line, end_column, text in edits:
        where = paths.get(path)
        if where is None:
            where = paths[path] = Path(path)
        unpacked.append(TextEdit(where, Span(line, column, end_line, end_column), text))
    return Fix(title, tuple(unpacked))


def _pack_fix(fix: Fix) -> _PackedFix:
    """Frozen dataclasses unpickle through a Python-level `__setstate__`: tuples do not."""
    return (
        fix.title,
        tuple(_pack_edit(edit) for edit in fix.edits),
    )


def _pack(f: Finding) -> _Packed:
    span = f.span
    return (
        f.rule,
        f.path.as_posix(),
        span.line,
        span.column,
        span.end_line,
        span.end_column,
        f.message,
        f.severity.value,
        f.symbol,
        None if f.fix is None else _pack_fix(f.fix),
        f.data,
    )


def _pack_edit(edit: TextEdit) -> tuple[str, int, int, int, int, str]:
    span = edit.span
    return (
        edit.path.as_posix(),
        span.line,
        span.column,
        span.end_line,
        span.end_column,
        edit.new_text,
    )
