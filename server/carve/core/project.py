"""A project: configuration + discovered files + cached summaries → a WorkspaceIndex.

The CLI builds one per run; the language server keeps one and updates it per edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from carve.core.cache import SummaryCache, collector_paused
from carve.core.config import Config
from carve.core.discovery import Discovery, SourceFile
from carve.core.index import Module, WorkspaceIndex
from carve.core.loader import (
    Progress,
    SourceBytes,
    StartMethod,
    load_summaries,
    read_error_summary,
    read_sources,
)
from carve.core.parse import summarize_bytes, summarize_text
from carve.core.summary import ModuleSummary


class Project:
    """`jobs` parse processes for a cold build (None: one per CPU), started with
    `start_method` (None: "fork" where available; a threaded caller such as the
    language server passes "forkserver" or "spawn")."""

    def __init__(
        self,
        config: Config,
        use_cache: bool = True,
        jobs: int | None = None,
        start_method: StartMethod | None = None,
    ) -> None:
        self.config = config
        self.root = config.root
        self.cache = SummaryCache(config.root, enabled=use_cache)
        self.jobs = jobs
        self.start_method = start_method
        self.files: list[SourceFile] = []
        self.errors: list[tuple[Path, str]] = []  # unreadable directories, missing paths
        self._cache_loaded = False
        self._modules: dict[Path, Module] = {}
        self._roots: list[Path] = []
        self._index: WorkspaceIndex | None = None  # the last one built or updated

    def build(
        self,
        overlays: dict[Path, str] | None = None,
        progress: Progress | None = None,
        extra_paths: list[Path] | None = None,
    ) -> WorkspaceIndex:
        """Discover every module under the project (plus `extra_paths`) and index it."""
        self.discover(overlays, extra_paths)
        return self.index(read_sources([f.path for f in self.files]), overlays, progress)

    def discover(
        self, overlays: dict[Path, str] | None = None, extra_paths: list[Path] | None = None
    ) -> list[SourceFile]:
        discovery = Discovery(self.config)
        self.files = discovery.source_files([self.root, *(extra_paths or [])])
        self._roots = discovery.roots
        known = {f.path for f in self.files} if overlays else set()  # Paths: only if needed
        for path in overlays or {}:  # unsaved new buffers are modules too
            if path not in known and path.suffix == ".py":
                described = discovery.describe(path, self._roots)
                if described is not None:
                    self.files.append(described)
        self.errors = discovery.errors
        return self.files

    def index(
        self,
        sources: list[SourceBytes],
        overlays: dict[Path, str] | None = None,
        progress: Progress | None = None,
        save: bool = True,
    ) -> WorkspaceIndex:
        """Index discovered files from their bytes (read once by the caller). `save`:
        write the summary cache now; the language server writes it after answering."""
        if not self._cache_loaded:
            self.cache.load()
            self._cache_loaded = True
        # Summaries are acyclic and long-lived: the cyclic collector is kept away while
        # they are made, then they are moved out of its reach, or it would rescan
        # millions of them on every later allocation burst (refcounting still frees them).
        with collector_paused(freeze=True):
            summaries = load_summaries(
                sources, self.cache, overlays, progress, self.jobs, self.start_method
            )
            if save:
                self.cache.save()
            self._modules = {
                f.path: Module(f.module, f.path, f.root, f.is_package, summaries[f.path])
                for f in self.files
            }
        self._index = WorkspaceIndex(self.config, self._modules.values())
        return self._index

    def update(self, path: Path, text: str | None) -> WorkspaceIndex:
        """Re-index one file without walking the workspace again (the editor's hot path).

        `text` is the unsaved buffer; None re-reads the file from disk, or drops it when it
        is gone. Other modules keep their summaries and cached bindings.
        """
        return self.update_many({path: text})

    def update_many(self, texts: Mapping[Path, str | None]) -> WorkspaceIndex:
        """`update` for several files at once, building one new index."""
        for path, text in texts.items():
            self._update_module(path, text)
        previous = self._index
        if previous is not None and all(
            p in previous.by_path and p in self._modules for p in texts
        ):
            # Contents changed, not which modules exist: patch the previous index's tables.
            index = WorkspaceIndex.replacing(previous, (self._modules[p] for p in texts))
        else:
            index = WorkspaceIndex(self.config, self._modules.values())
        if previous is not None:  # derived facts update in place (the import cycles)
            index.inherit(previous, texts)
        self._index = index
        return index

    def _update_module(self, path: Path, text: str | None) -> None:
        existing = self._modules.get(path)
        if text is None and not path.is_file():
            self._modules.pop(path, None)
            self.files = [f for f in self.files if f.path != path]
            return
        if existing is None:
            # The roots the last walk found (a new file under services/portal/ belongs to
            # that root, which a fresh Discovery that never walked would not know).
            roots = self._roots or Discovery(self.config).import_roots()
            described = Discovery(self.config).describe(path, roots)
            if described is None:
                return
            self.files.append(described)
            name, root, is_package = described.module, described.root, described.is_package
        else:
            name, root, is_package = existing.name, existing.root, existing.is_package
        self._modules[path] = Module(name, path, root, is_package, _summary(path, text))


def _summary(path: Path, text: str | None) -> ModuleSummary:
    if text is not None:
        return summarize_text(text)
    try:
        return summarize_bytes(path.read_bytes())
    except OSError as exc:
        return read_error_summary(f"cannot read file: {exc.strerror or exc}")
