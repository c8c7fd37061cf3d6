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
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carve import __version__

if TYPE_CHECKING:
    from carve.core.summary import ModuleSummary

CACHE_DIR = ".carve_cache"
_FORMAT = 2  # each summary pickled on its own
_RESULT_FORMAT = 2  # findings per file with each file's digest

# posix path → (digest, summary), the summary still pickled until it is asked for
Entry = tuple[str, "bytes | ModuleSummary"]
Entries = dict[str, Entry]


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
    """Summaries by path and digest: one base file, plus a small delta file holding what
    changed since (an edit rewrites a few entries, not the 10k of a monorepo's base;
    the delta is folded into the base once it holds 5 % of the entries). Entries are
    checked against the file's digest when read, so a delta and a base written by two
    different runs only ever cost a cache miss.

    Each summary is pickled on its own and unpickled when first asked for: a re-check of
    one edited file reads its neighbours' summaries, not the 10k of the workspace (an
    entry that does not unpickle is a miss)."""

    def __init__(self, project: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.directory = project / CACHE_DIR
        self.file = self.directory / f"index-{__version__}-{_FORMAT}.pickle"
        self.delta_file = self.directory / f"delta-{__version__}-{_FORMAT}.pickle"
        # posix path → (digest, the pickled summary, or the summary itself once asked for
        # or put)
        self.entries: Entries = {}
        self.warning: str | None = None
        self._delta: dict[str, Entry | None] = {}
        self._changed: dict[str, Entry | None] = {}
        self._pickled: dict[str, bytes] = {}  # posix path → its summary pickled by a worker
        self._loaded = False
        self._base_valid = False  # a base written by this code: a delta may go beside it

    def load(self) -> None:
        """Read the cache files (once: a second call keeps what is in memory)."""
        if self._loaded:
            return
        self._loaded = True
        if not self.enabled or not self.file.exists():
            return
        try:
            base = self._read(self.file)
            self._base_valid = base is not None
            self.entries = base or {}
            if base is not None and self.delta_file.exists():
                self._delta = self._read(self.delta_file) or {}
        except Exception as exc:  # corrupt, truncated or from another Python: start over
            self.warning = f"ignored unreadable cache {self.file}: {type(exc).__name__}"
            self.entries, self._delta, self._base_valid = {}, {}, False
        for path, entry in self._delta.items():
            if entry is None:
                self.entries.pop(path, None)
            else:
                self.entries[path] = entry

    def _read(self, file: Path) -> dict[str, Any] | None:
        """A file's entries; None when other code wrote it (an edited checkout: start
        over, silently)."""
        with file.open("rb") as handle, collector_paused():
            data = pickle.load(handle)
        if isinstance(data, dict) and data.get("stamp") == code_stamp():
            entries = data.get("entries")
            if not isinstance(entries, dict):
                return {}
            return {k: v for k, v in entries.items() if v is None or _well_formed(v)}
        return None

    def get(self, path: Path, digest: str) -> ModuleSummary | None:
        return self.get_posix(path.as_posix(), digest)

    def get_posix(self, path: str, digest: str) -> ModuleSummary | None:
        entry = self.entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        value = entry[1]
        if isinstance(value, bytes):
            from carve.core.summary import ModuleSummary  # not needed by a warm run

            try:
                # Frozen at once (`gc.freeze` is cheap): a whole index unpickled entry by
                # entry would otherwise have its objects rescanned by every collection.
                with collector_paused(freeze=True):
                    loaded = pickle.loads(value)
            except Exception:  # a damaged entry: a miss
                loaded = None
            if not isinstance(loaded, ModuleSummary):
                del self.entries[path]
                return None
            self.entries[path] = (digest, loaded)
            return loaded
        return value

    def has(self, path: str, digest: str) -> bool:
        """Whether `get_posix` may answer (without unpickling anything)."""
        entry = self.entries.get(path)
        return entry is not None and entry[0] == digest

    def put(
        self, path: Path, digest: str, summary: ModuleSummary, pickled: bytes | None = None
    ) -> None:
        """`pickled`: the summary already pickled (by a parse worker): `save` writes
        those bytes instead of pickling the summary again."""
        self.put_posix(path.as_posix(), digest, summary, pickled)

    def put_posix(
        self, key: str, digest: str, summary: ModuleSummary, pickled: bytes | None = None
    ) -> None:
        self.entries[key] = self._changed[key] = (digest, summary)
        if pickled is not None:
            self._pickled[key] = pickled
        else:
            self._pickled.pop(key, None)

    def retain(self, paths: set[str]) -> None:
        for key in self.entries.keys() - paths:
            del self.entries[key]
            self._changed[key] = None

    def save(self) -> None:
        if not self.enabled or not self._changed:
            return
        delta = {**self._delta, **self._changed}
        entries: dict[str, Entry | None]
        if self._base_valid and len(delta) <= max(64, len(self.entries) // 20):
            target, entries = self.delta_file, delta
        else:  # fold everything into a new base, then drop the delta
            target, entries = self.file, dict(self.entries)
        pickled = self._pickled
        with collector_paused():  # 10k new entries would set off full collections
            packed = {key: _packed(entry, pickled.get(key)) for key, entry in entries.items()}
            error = _atomic_pickle(target, {"stamp": code_stamp(), "entries": packed})
        if error is not None:
            self.warning = f"could not write cache {self.directory}: {error}"
        elif target == self.file:
            with contextlib.suppress(OSError):
                self.delta_file.unlink()
            self._delta, self._base_valid = {}, True
        else:
            self._delta = delta
        self._changed, self._pickled = {}, {}


def _packed(entry: Entry | None, pickled: bytes | None) -> tuple[str, bytes] | None:
    if entry is None or isinstance(entry[1], bytes):
        return entry  # type: ignore[return-value]
    if pickled is not None:
        return entry[0], pickled
    return entry[0], pickle.dumps(entry[1], protocol=pickle.HIGHEST_PROTOCOL)


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and isinstance(entry[1], bytes)
    )


class ResultCache:
    """The last result per option set (a key made of carve's code, the configuration and
    the options), each pickled on its own: a run unpickles the one it asks for."""

    _KEEP = 4  # a few option sets (CI, pre-commit, editor) side by side

    def __init__(self, project: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.file = project / CACHE_DIR / f"results-{__version__}-{_RESULT_FORMAT}.pickle"
        self._entries: dict[str, bytes] | None = None

    def get(self, key: str) -> object | None:
        packed = self._load().get(key)
        if packed is None:
            return None
        try:
            with collector_paused():
                value: object = pickle.loads(packed)
            return value
        except Exception:  # unreadable: recompute
            return None

    def put(self, key: str, value: object) -> None:
        if not self.enabled:
            return
        entries = self._load()
        entries.pop(key, None)
        kept = dict(list(entries.items())[-(self._KEEP - 1) :])
        kept[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._entries = kept
        _atomic_pickle(self.file, kept)

    def _load(self) -> dict[str, bytes]:
        if self._entries is None:
            self._entries = {}
            if self.enabled:
                try:
                    with self.file.open("rb") as handle:
                        loaded = pickle.load(handle)
                    if isinstance(loaded, dict):
                        self._entries = {k: v for k, v in loaded.items() if isinstance(v, bytes)}
                except Exception:  # missing or unreadable: recompute
                    pass
        return self._entries


Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


class FileStamps:
    """Each file's stat stamp and content digest at the last run (ruff's and git's trick):
    a file whose size, mtime, ctime and inode are all unchanged is not read again.

    ctime cannot be set back by tools (`touch -d`, `cp -p`, an editor restoring a file):
    only a clock set back, or a file system without a real ctime, can fool it. A stamp
    younger than the racy window is not kept (a file rewritten within one timestamp tick
    of being read looks unchanged), so a just-edited file is read again next time."""

    RACY_NS = 2_000_000_000

    def __init__(self, project: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.file = project / CACHE_DIR / f"stamps-{_RESULT_FORMAT}.pickle"
        self.stored: dict[str, tuple[Stamp, str]] = {}
        self.seen: dict[str, tuple[Stamp, str]] = {}
        self._start = time.time_ns()
        if enabled:
            try:
                with self.file.open("rb") as handle, collector_paused():
                    loaded = pickle.load(handle)
                if isinstance(loaded, dict):
                    self.stored = loaded
            except Exception:  # missing or unreadable: read every file
                self.stored = {}

    def digest(self, path: str, stamp: Stamp) -> str | None:
        """The digest recorded for `path` when its stamp was `stamp` (None: read it)."""
        entry = self.stored.get(path)
        if entry is not None and entry[0] == stamp:
            self.seen[path] = entry
            return entry[1]
        return None

    def record(self, path: str, stamp: Stamp, digest: str) -> None:
        """`stamp` was taken before the bytes hashed to `digest` were read."""
        if max(stamp[1], stamp[2]) < self._start - self.RACY_NS:
            self.seen[path] = (stamp, digest)

    def save(self) -> None:
        if self.enabled and self.seen != self.stored:
            _atomic_pickle(self.file, self.seen)
            self.stored = dict(self.seen)


@contextlib.contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Unpickling 10k summaries allocates millions of small acyclic objects; the cyclic
    collector would rescan them over and over (3x the load time on 1M lines). With
    `freeze`, they are then moved out of its reach (`gc.freeze`, as `Project.index`
    does; refcounting still frees them): the first collection after the collector is
    back on would otherwise scan every one of them (0.2-0.4 s on 1M lines)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
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
        import tempfile  # a run that writes nothing (the result cache answered) skips it

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
