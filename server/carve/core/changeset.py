"""Change sets: the planned result of a refactor, as data, before anything is written."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file's fate. `old_text` is None for a creation; `deleted` removes the file
    (its `new_text` is then "")."""

    path: Path
    old_text: str | None
    new_text: str
    deleted: bool = False
    # The replacements (start, end, text) of `old_text` that give `new_text`, when the
    # planner knows them: the verifier then re-summarises only the stretches they touch.
    edits: tuple[tuple[int, int, str], ...] | None = field(default=None, compare=False)

    @property
    def is_creation(self) -> bool:
        return self.old_text is None

    @property
    def is_deletion(self) -> bool:
        return self.deleted


@dataclass(slots=True)
class ChangeSet:
    title: str
    changes: list[FileChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the plan does beyond the request

    def add(
        self,
        path: Path,
        old_text: str | None,
        new_text: str,
        edits: tuple[tuple[int, int, str], ...] | None = None,
    ) -> None:
        if old_text == new_text:
            return
        self._replace(FileChange(path, old_text, new_text, edits=edits))

    def delete(self, path: Path, old_text: str) -> None:
        self._replace(FileChange(path, old_text, "", deleted=True))

    def _replace(self, change: FileChange) -> None:
        """One change per path, the latest wins. Paths hash once (cached), while
        `Path.__eq__` is slow: fix-all adds thousands of changes."""
        if change.path in {c.path for c in self.changes}:
            self.changes = [c for c in self.changes if c.path != change.path]
        self.changes.append(change)

    def then(self, later: ChangeSet) -> ChangeSet:
        """This change set followed by `later`, planned on top of it: one change per
        file, from the text before this one to the text after `later`."""
        combined = ChangeSet(later.title, list(self.changes))
        combined.warnings = [*self.warnings, *later.warnings]
        combined.notes = [*self.notes, *later.notes]
        earlier = {c.path: c for c in self.changes}
        for change in later.changes:
            first = earlier.get(change.path)
            old = change.old_text if first is None else first.old_text
            combined.changes = [c for c in combined.changes if c.path != change.path]
            if old is None and change.deleted:
                continue
            if change.deleted:
                combined.delete(change.path, old or "")
            else:
                combined.add(change.path, old, change.new_text)
        return combined

    def text_of(self, path: Path) -> str | None:
        for change in self.changes:
            if change.path == path:
                return None if change.deleted else change.new_text
        return None

    def is_empty(self) -> bool:
        return not self.changes

    def unified_diff(self, root: Path) -> str:
        chunks: list[str] = []
        for change in sorted(self.changes, key=lambda c: c.path.as_posix()):
            rel = _relative(change.path, root)
            old = change.old_text or ""
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    change.new_text.splitlines(keepends=True),
                    fromfile="/dev/null" if change.is_creation else f"a/{rel}",
                    tofile="/dev/null" if change.deleted else f"b/{rel}",
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
