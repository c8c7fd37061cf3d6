"""One project of the workspace (a folder with its carve configuration) and its index.

Full builds go through `Project.build` (disk cache, parallel parsing); an edit in an
open buffer goes through `Project.update_many`, which re-summarises that file and swaps
its module into a new index, so a keystroke costs one file's parse, not the
workspace's. Everything here runs on the session's single analysis thread.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from carve.core.cache import FileStamps
from carve.core.config import Config, ConfigError, load_config
from carve.core.index import WorkspaceIndex
from carve.core.loader import Progress, StartMethod, stat_sources
from carve.core.project import Project
from carve.lsp.settings import Settings, effective_config

log = logging.getLogger(__name__)
# Parse workers must not be forked from the server: a child forked from a threaded
# process deadlocks on the stdin lock the reader thread holds (multiprocessing closes
# stdin in every child). A fork server is a fresh single-threaded process that forks
# the workers instead, with the parser already imported.
START_METHOD: StartMethod = "forkserver"


class ProjectState:
    """`on_error` hears of an index failure once per episode (from the analysis thread)."""

    def __init__(
        self, folder: Path, settings: Settings, on_error: Callable[[str], None] | None = None
    ) -> None:
        self.folder = folder
        self.settings = settings
        self.on_error = on_error
        self.config_error: str | None = None
        # Why the last build or update failed (the index, if any, predates it); cleared
        # by the next one that succeeds. Checks retry a project that has no index yet.
        self.error: str | None = None
        self.config = self._load(folder)
        self.root = self.config.root
        self.project = Project(self.config, start_method=START_METHOD)
        self.index: WorkspaceIndex | None = None
        self.excluded: set[Path] = set()  # open files the configuration leaves out
        self._overlays: dict[Path, str] = {}  # buffer texts the index reflects
        self.builds = 0

    def _load(self, folder: Path) -> Config:
        try:
            config = load_config(folder)
        except ConfigError as exc:
            self.config_error = str(exc)
            log.error("%s (using defaults until it is fixed)", exc)
            return Config(root=folder)
        return effective_config(config, self.settings)

    def adopt(self, settings: Settings) -> None:
        """Use new editor settings (re-reading the configuration if they differ)."""
        if settings != self.settings:
            self.reload_config(settings)

    def reload_config(self, settings: Settings | None = None) -> None:
        """Re-read the configuration (and editor settings); the next build re-indexes."""
        self.settings = settings or self.settings
        self.config_error = None
        self.config = self._load(self.folder)
        self.root = self.config.root
        self.project = Project(self.config, start_method=START_METHOD)

    def owns(self, path: Path) -> bool:
        return path == self.root or self.root in path.parents

    @property
    def ready(self) -> bool:
        return self.index is not None

    # -- building ----------------------------------------------------------------------
    def build(
        self, overlays: dict[Path, str], progress: Progress | None = None, save: bool = True
    ) -> None:
        """Discover and index every module (cache first); `overlays` win over disk.
        `save`: write the summary cache now, else the caller does (`save_cache`)."""
        mine = self._mine(overlays)
        # Only buffers of files not on disk (new, or deleted while open) join discovery;
        # a buffer of a file the configuration excludes stays excluded.
        passed = {p: t for p, t in mine.items() if not p.exists()}
        try:
            with _collector_paused():
                index = self._build(passed, progress)
        except Exception as exc:  # keep serving (the last index, if any); retried later
            self._failed(exc)
            return
        self.index = index
        self.excluded = {p for p in mine if p not in index.by_path}
        self._overlays = passed
        self.builds += 1
        self.error = None
        for path, message in self.project.errors:
            log.warning("%s: %s", path, message)
        if save:
            self.save_cache()
        self.refresh(overlays)  # the other buffers: swapped in file by file

    def _build(self, overlays: dict[Path, str], progress: Progress | None) -> WorkspaceIndex:
        """`Project.build`, reading only the files whose stat stamp changed since the
        last run (the CLI's way): a cached start reads and hashes no unchanged file."""
        files = self.project.discover(overlays)
        stamps = FileStamps(self.root, enabled=self.project.cache.enabled)
        sources = stat_sources([f.path for f in files], stamps)
        # The start-up build leaves the summary cache to be written once the editor has
        # its answers: on a monorepo that is a second of pickling before index-ready.
        index = self.project.index(sources, overlays, progress, save=False)
        stamps.save()
        return index

    def save_cache(self) -> None:
        """Write what the last build parsed (nothing when the cache already holds it)."""
        self.project.cache.save()
        if self.project.cache.warning:
            log.warning("%s", self.project.cache.warning)

    def refresh(self, overlays: dict[Path, str]) -> set[Path]:
        """Bring the index up to date with `overlays` (open buffers); returns the
        paths whose summary changed. Builds fully when a buffer is a new module."""
        if self.index is None:
            self.build(overlays)
            return set(self._overlays)
        mine = {p: t for p, t in self._mine(overlays).items() if p not in self.excluded}
        changed = {p for p, t in mine.items() if self._overlays.get(p) != t}
        changed |= {p for p in self._overlays if p not in mine}
        if not changed:
            return set()
        gone = {p for p in changed if p not in mine and not p.exists()}  # unsaved, closed
        if gone or any(p not in self.index.by_path for p in changed):
            self.build(overlays)
            return changed
        try:
            self.index = self.project.update_many({p: mine.get(p) for p in changed})
        except Exception as exc:  # `_overlays` unchanged: the next refresh retries them
            self._failed(exc)
            return set()
        self._overlays = dict(mine)
        return changed

    def _failed(self, exc: Exception) -> None:
        message = f"indexing {self.root} failed: {type(exc).__name__}: {exc}"
        if message == self.error:
            log.info("%s (again)", message)
            return
        self.error = message
        log.error("%s", message, exc_info=exc)  # a bug in carve: the full story
        if self.on_error is not None:
            self.on_error(message)

    def _mine(self, overlays: dict[Path, str]) -> dict[Path, str]:
        return {p: t for p, t in overlays.items() if p.suffix == ".py" and self.owns(p)}

    @property
    def state(self) -> str:
        """What status reports: "error" (the last build or update failed), "ready", or
        "pending" (not built yet)."""
        if self.error is not None:
            return "error"
        return "ready" if self.index is not None else "pending"

    def status(self) -> dict[str, object]:
        index = self.index
        return {
            "folder": str(self.folder),
            "root": str(self.root),
            "config": str(self.config.source) if self.config.source else None,
            "configError": self.config_error,
            "state": self.state,
            "error": self.error,
            "ready": self.state == "ready",
            "modules": len(index.by_path) if index is not None else 0,
            "hubs": sum(1 for _ in index.hubs()) if index is not None else 0,
            "importPolicy": self.config.import_policy.value,
            "builds": self.builds,
            "cacheWarning": self.project.cache.warning,
        }


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """A build allocates millions of small acyclic objects (10k summaries unpickled or
    parsed); with the cyclic collector on, each allocation burst after the cache load
    triggers a full collection over all of them (~1 s of a 1M-line cached build).
    `Project.index` freezes them at the end, so re-enabling the collector then is cheap."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
