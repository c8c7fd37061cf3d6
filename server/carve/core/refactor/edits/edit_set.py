"""Every file a move reads or changes, and the change set they add up to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.refactor.edits.splices import FileEdit, LineIndex
from carve.core.refactor.request import MoveError
from carve.core.source import SourceError, decode

ReadText = Callable[[Path], str]


def read_from_disk(path: Path) -> str:
    try:
        return decode(path.read_bytes())
    except OSError as exc:
        raise MoveError(f"cannot read: {exc.strerror or exc}", path) from None
    except SourceError as exc:
        raise MoveError(exc.message, path, exc.line) from None


class EditSet:
    def __init__(self, read_text: ReadText | None = None) -> None:
        self.read_text = read_text or read_from_disk
        self._texts: dict[Path, str] = {}
        self._raw: dict[Path, bytes] = {}
        self._lines: dict[Path, LineIndex] = {}
        self._edits: dict[Path, FileEdit] = {}
        self._created: dict[Path, str] = {}
        self._deleted: set[Path] = set()

    def text(self, path: Path) -> str:
        if path not in self._texts:
            self._texts[path] = self.read_text(path)
        return self._texts[path]

    def raw(self, path: Path) -> bytes:
        """The bytes on disk (empty when unreadable), read once for every scan of the
        workspace's text (strings naming the source, patches naming a binding)."""
        if path not in self._raw:
            try:
                self._raw[path] = path.read_bytes()
            except OSError:
                self._raw[path] = b""
        return self._raw[path]

    def lines(self, path: Path) -> LineIndex:
        if path not in self._lines:
            self._lines[path] = LineIndex(self.text(path))
        return self._lines[path]

    def file(self, path: Path) -> FileEdit:
        """The pending edit of an existing file (created on first use)."""
        edit = self._edits.get(path)
        if edit is None:
            edit = self._edits[path] = FileEdit(self.text(path), self.lines(path))
        return edit

    def edited(self) -> Iterator[tuple[Path, FileEdit]]:
        """The existing files being changed (not deleted)."""
        for path, edit in self._edits.items():
            if path not in self._deleted:
                yield path, edit

    def touched(self, path: Path) -> bool:
        return path in self._edits or path in self._created

    def create(self, path: Path, text: str) -> None:
        self._created[path] = text

    def delete(self, path: Path) -> None:
        self._deleted.add(path)

    def deleted(self, path: Path) -> bool:
        return path in self._deleted

    def result_of(self, path: Path) -> str:
        if path in self._created:
            return self._created[path]
        edit = self._edits.get(path)
        return edit.result() if edit is not None else self.text(path)

    def change_set(self, title: str) -> ChangeSet:
        changes = ChangeSet(title)
        for path, edit in self._edits.items():
            if path in self._deleted:
                changes.delete(path, edit.original)
            else:
                changes.add(path, edit.original, edit.result())
        for path, text in self._created.items():
            changes.add(path, None, text)
        return changes
