"""On-disk summary cache: `.carve_cache/`, keyed by content hash and carve version.

One pickle per project, replaced atomically (write to a temp file, then `os.replace`),
so two overlapping runs each leave a complete cache and a reader never sees half a file.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from carve import __version__
from carve.core.summary import ModuleSummary

CACHE_DIR = ".carve_cache"
_FORMAT = 1

Entries = dict[str, tuple[str, ModuleSummary]]  # posix path → (digest, summary)


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
            with self.file.open("rb") as handle:
                data = pickle.load(handle)
            if isinstance(data, dict):
                self.entries = data
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
        try:
            self.directory.mkdir(exist_ok=True)
            gitignore = self.directory / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
            fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.file)
            self._dirty = False
        except OSError as exc:  # read-only checkout: caching is an optimisation only
            self.warning = f"could not write cache {self.directory}: {exc.strerror or exc}"
