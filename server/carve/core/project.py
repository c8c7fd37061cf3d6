"""A project: configuration + discovered files + cached summaries → a WorkspaceIndex.

The CLI builds one per run; the language server keeps one and updates it per edit.
"""

from __future__ import annotations

from pathlib import Path

from carve.core.cache import SummaryCache
from carve.core.config import Config
from carve.core.discovery import Discovery, SourceFile
from carve.core.index import Module, WorkspaceIndex
from carve.core.loader import Progress, load_summaries


class Project:
    def __init__(self, config: Config, use_cache: bool = True, jobs: int | None = None) -> None:
        self.config = config
        self.root = config.root
        self.cache = SummaryCache(config.root, enabled=use_cache)
        self.jobs = jobs
        self.files: list[SourceFile] = []
        self.errors: list[tuple[Path, str]] = []  # unreadable directories, missing paths
        self._cache_loaded = False

    def build(
        self,
        overlays: dict[Path, str] | None = None,
        progress: Progress | None = None,
        extra_paths: list[Path] | None = None,
    ) -> WorkspaceIndex:
        """Discover every module under the project (plus `extra_paths`) and index it."""
        discovery = Discovery(self.config)
        starts = [self.root, *(extra_paths or [])]
        self.files = discovery.source_files(starts)
        known = {f.path for f in self.files}
        for path in overlays or {}:  # unsaved new buffers are modules too
            if path not in known and path.suffix == ".py":
                described = discovery.describe(path, discovery.import_roots([path]))
                if described is not None:
                    self.files.append(described)
        self.errors = discovery.errors
        if not self._cache_loaded:
            self.cache.load()
            self._cache_loaded = True
        summaries = load_summaries(
            [f.path for f in self.files], self.cache, overlays, progress, self.jobs
        )
        self.cache.save()
        modules = [
            Module(f.module, f.path, f.root, f.is_package, summaries[f.path]) for f in self.files
        ]
        return WorkspaceIndex(self.config, modules)
