"""On-disk summary cache: `.carve_cache/`, keyed by content hash and carve's code.

One pickle per project, replaced atomically (write to a temp file, then `os.replace`),
so two overlapping runs each leave a complete cache and a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path

from carve import __version__
from carve.core.summary import ModuleSummary

CACHE_DIR = ".carve_cache"
_FORMAT = 1

Entries = dict[str, tuple[str, ModuleSummary]]  # posix path → (digest, summary)


@functools.cache
def code_stamp(directory: Path = Path(__file__).parent) -> str:
    """carve's version plus the name, size and mtime of every module of the analysis
    code: an editable install whose parser or rules changed must not be answered with
    summaries or findings an older build pickled under the same version number."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(directory.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        relative = path.relative_to(directory).as_posix()
        digest.update(f"{relative}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return f"{__version__}+{digest.hexdigest()}"


class SummaryCache:
    def __init__(self, project: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.directory = project / CACHE_DIR
        self.file = self.directory / f"index-{__version__}-{_FORMAT}.pickle"
        self.entries: Entries = {}
        self.warning: str | None = None
        self._dirty = False

    def load(self) -> None:
        if not self.enabled or not self.file.exists():
            return
        try:
            with self.file.open("rb") as handle, _collector_paused():
                data = pickle.load(handle)
            # Written by other code (an edited checkout): start over, silently.
            if isinstance(data, dict) and data.get("stamp") == code_stamp():
                entries = data.get("entries")
                self.entries = entries if isinstance(entries, dict) else {}
        except Exception as exc:  # corrupt, truncated or from another Python: start over
            self.warning = f"ignored unreadable cache {self.file}: {type(exc).__name__}"
            self.entries = {}

    def get(self, path: Path, digest: str) -> ModuleSummary | None:
        entry = self.entries.get(path.as_posix())
        if entry is not None and entry[0] == digest:
            return entry[1]
        return None

    def put(self, path: Path, digest: str, summary: ModuleSummary) -> None:
        self.entries[path.as_posix()] = (digest, summary)
        self._dirty = True

    def retain(self, paths: set[str]) -> None:
        stale = self.entries.keys() - paths
        for key in stale:
            del self.entries[key]
        self._dirty = self._dirty or bool(stale)

    def save(self) -> None:
        if not self.enabled or not self._dirty:
            return
        error = _atomic_pickle(self.file, {"stamp": code_stamp(), "entries": self.entries})
        if error is not None:
            self.warning = f"could not write cache {self.directory}: {error}"
        self._dirty = False


class ResultCache:
    """The last findings per fingerprint of (carve, configuration, options, every file's
    digest): an unchanged workspace is answered without loading one summary."""

    _KEEP = 4  # a few option sets (CI, pre-commit, editor) side by side

    def __init__(self, project: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.file = project / CACHE_DIR / f"results-{__version__}-{_FORMAT}.pickle"

    def get(self, key: str) -> object | None:
        if not self.enabled or not self.file.exists():
            return None
        try:
            with self.file.open("rb") as handle:
                entries = pickle.load(handle)
            return entries.get(key) if isinstance(entries, dict) else None
        except Exception:  # unreadable: recompute
            return None

    def put(self, key: str, value: object) -> None:
        if not self.enabled:
            return
        entries: dict[str, object] = {}
        try:
            with self.file.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                entries = dict(list(loaded.items())[-(self._KEEP - 1) :])
        except Exception:
            entries = {}
        entries.pop(key, None)
        entries[key] = value
        _atomic_pickle(self.file, entries)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Unpickling 10k summaries allocates millions of small acyclic objects; the cyclic
    collector would rescan them over and over (3x the load time on 1M lines)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _atomic_pickle(target: Path, value: object) -> str | None:
    """Write to a temp file, then rename: readers never see half a file. Returns the
    error instead of raising (a read-only checkout only loses the optimisation); a
    failed write (disk full) leaves no temp file behind."""
    temp: str | None = None
    try:
        target.parent.mkdir(exist_ok=True)
        gitignore = target.parent / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
        fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return None
