"""Writing a change set to disk: every file or none.

1. Check that no file changed since planning (a creation's path must still be free).
2. Write each new content to a temp file beside its target, fsync it; record the
   originals in a journal (fsync'ed) with a backup copy of each.
3. `os.replace` every temp file over its target (atomic per file), delete deletions.
4. Mark the journal committed, then remove backups and journal.

Any exception during 3 rolls back from the in-memory originals. If the process is
killed, the next `recover()` (run before every write) finds the journal and restores
the backups unless the journal says the commit finished. No file is ever half-written:
each is either its old or its new content.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.changeset import ChangeSet, FileChange
from carve.core.source import SourceError, decode

JOURNAL = "move-journal.json"


class StaleFileError(Exception):
    """A file changed on disk after the change set was planned; nothing was written."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why} since the move was planned; nothing was written")
        self.path = path


@dataclass
class _Staged:
    change: FileChange
    original: bytes | None  # None: the file is created
    temp: Path | None = None  # None: the file is deleted
    backup: Path | None = None
    created_dirs: list[Path] = field(default_factory=list)


def write_change_set(changes: ChangeSet, journal_dir: Path) -> None:
    staged = [_stage_check(change) for change in changes.changes]
    journal = journal_dir / JOURNAL
    try:
        for item in staged:
            _prepare(item)
        _write_journal(journal, staged, committed=False)
        for item in staged:  # last look: nothing changed while we prepared
            _stage_check(item.change)
        _commit(staged)
    except BaseException:
        _cleanup(staged, journal, remove_created_dirs=True)
        raise
    _write_journal(journal, staged, committed=True)
    _cleanup(staged, journal, remove_created_dirs=False)


def recover(journal_dir: Path) -> list[Path]:
    """Finish an interrupted write: restore the originals unless it had committed."""
    journal = journal_dir / JOURNAL
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    restored: list[Path] = []
    committed = entries.get("committed", False)
    for entry in entries.get("files", []):
        path = Path(entry["path"])
        backup = Path(entry["backup"]) if entry.get("backup") else None
        if not committed:
            if backup is not None and backup.exists():
                os.replace(backup, path)
                restored.append(path)
            elif entry.get("created") and path.exists():
                path.unlink()
                restored.append(path)
        for leftover in (entry.get("temp"), entry.get("backup")):
            if leftover:
                Path(leftover).unlink(missing_ok=True)
    journal.unlink(missing_ok=True)
    return restored


def _stage_check(change: FileChange) -> _Staged:
    path = change.path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = None
    except OSError as exc:
        raise StaleFileError(path, f"cannot be read ({exc.strerror})") from None
    if change.is_creation:
        if data is not None:
            raise StaleFileError(path, "was created")
        return _Staged(change, None)
    if data is None:
        raise StaleFileError(path, "was deleted")
    try:
        current = decode(data)
    except SourceError:
        current = None
    if current != change.old_text:
        raise StaleFileError(path, "was modified")
    return _Staged(change, data)


def _prepare(item: _Staged) -> None:
    path = item.change.path
    missing = [d for d in [path.parent, *path.parent.parents] if not d.exists()]
    for directory in reversed(missing):
        directory.mkdir()
        item.created_dirs.append(directory)
    if item.original is not None:
        item.backup = _sibling(path, "backup")
        _write_synced(item.backup, item.original, path)
    if not item.change.is_deletion:
        item.temp = _sibling(path, "new")
        _write_synced(item.temp, _encode(item.change.new_text, item.original), path)


def _commit(staged: list[_Staged]) -> None:
    done: list[_Staged] = []
    try:
        for item in staged:
            if item.temp is not None:
                os.replace(item.temp, item.change.path)
            else:
                item.change.path.unlink()
            done.append(item)
        for directory in {i.change.path.parent for i in staged}:
            _fsync_directory(directory)
    except BaseException:
        for item in reversed(done):
            if item.original is None:
                item.change.path.unlink(missing_ok=True)
            elif item.backup is not None:
                os.replace(item.backup, item.change.path)
        raise


def _cleanup(staged: list[_Staged], journal: Path, remove_created_dirs: bool) -> None:
    for item in staged:
        for leftover in (item.temp, item.backup):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
        if remove_created_dirs:
            for directory in item.created_dirs:
                with contextlib.suppress(OSError):
                    directory.rmdir()
    journal.unlink(missing_ok=True)


def _write_journal(journal: Path, staged: list[_Staged], committed: bool) -> None:
    files = [
        {
            "path": str(i.change.path),
            "temp": str(i.temp) if i.temp else None,
            "backup": str(i.backup) if i.backup else None,
            "created": i.original is None,
        }
        for i in staged
    ]
    journal.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"committed": committed, "files": files}, indent=1).encode()
    temp = journal.with_suffix(".tmp")
    _write_synced(temp, data, None)
    os.replace(temp, journal)
    _fsync_directory(journal.parent)


def _sibling(path: Path, purpose: str) -> Path:
    return path.with_name(f".{path.name}.carve-{purpose}-{os.getpid()}")


def _write_synced(path: Path, data: bytes, mode_from: Path | None) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    if mode_from is not None and mode_from.exists():
        os.chmod(path, mode_from.stat().st_mode & 0o7777)


def _encode(text: str, original: bytes | None) -> bytes:
    """In the file's own encoding (BOM and PEP 263 cookie kept); UTF-8 for new files."""
    encoding = "utf-8"
    if original is not None:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
        except SyntaxError:
            encoding = "utf-8"
    return text.encode(encoding)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
