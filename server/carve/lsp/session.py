"""Server state: settings, projects (one per workspace folder), and the analysis thread.

Threading model: the event loop thread owns the protocol and takes document
snapshots; every core computation (indexing, checks, fix planning) runs on one
analysis thread, in order, so indexes are never read while another thread mutates
their lazy caches. Handlers are thin: snapshot → `await session.run(core work)` →
convert.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from carve.core.check import CheckOptions, run_checks
from carve.core.config import Config
from carve.core.findings import Finding
from carve.core.fixes import FixContext
from carve.core.index import WorkspaceIndex
from carve.core.loader import Progress
from carve.core.source import decode
from carve.core.verify import Verifier
from carve.lsp.projects import ProjectState
from carve.lsp.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Document:
    uri: str
    path: Path
    version: int | None
    text: str


@dataclass(frozen=True)
class Snapshot:
    """Open buffers at one moment, by path."""

    documents: dict[Path, Document] = field(default_factory=dict)

    @property
    def overlays(self) -> dict[Path, str]:
        return {path: doc.text for path, doc in self.documents.items()}

    def read(self, path: Path) -> str:
        doc = self.documents.get(path)
        if doc is not None:
            return doc.text
        return decode(path.read_bytes())  # PEP 263 and BOMs, as the index read it

    def versions(self) -> dict[Path, int | None]:
        return {path: doc.version for path, doc in self.documents.items()}


class Session:
    def __init__(self) -> None:
        self.settings = Settings()
        self.folders: list[Path] = []
        self.projects: dict[Path, ProjectState] = {}  # by folder
        self.ready = asyncio.Event()
        self._busy = 0  # core calls queued or running on the analysis thread
        self._idle = asyncio.Event()
        self._idle.set()
        self.indexing = False
        # Told (on the analysis thread) when a project's index fails: the server shows it.
        self.on_index_error: Callable[[str], None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="carve-analysis")
        # Last checked findings per open document: (version, findings).
        self.findings: dict[Path, tuple[int | None, list[Finding]]] = {}
        # Fix verification of each project's current index (a verifier holds its index:
        # replaced with it, never kept for an index an edit replaced).
        self._verifiers: dict[Path, Verifier] = {}

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run core work on the analysis thread."""
        loop = asyncio.get_running_loop()
        self._busy += 1
        self._idle.clear()
        try:
            return await loop.run_in_executor(self._executor, function, *args)
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    async def when_idle(self) -> None:
        """Wait until no core work is queued or running, after letting every coroutine
        that woke with this one submit its own: a whole-workspace check (seconds on a
        big tree) then goes after the document checks an editor is waiting for."""
        await asyncio.sleep(0)
        while self._busy:
            await self._idle.wait()
            await asyncio.sleep(0)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- projects (analysis thread) --------------------------------------------------------
    def set_folders(self, folders: list[Path]) -> None:
        """Adopt the workspace folders (event loop thread: the analysis thread never
        adds or removes projects, it only builds them)."""
        self.folders = list(dict.fromkeys(folders))
        projects = {f: s for f, s in self.projects.items() if f in self.folders}
        for folder in self.folders:
            if folder not in projects:
                projects[folder] = ProjectState(folder, self.settings, self._index_error)
        self.projects = projects

    def _index_error(self, message: str) -> None:
        if self.on_index_error is not None:
            self.on_index_error(message)

    def build_all(self, snapshot: Snapshot, progress: Progress | None = None) -> None:
        """Build every project without an index (all of them at start-up)."""
        for state in list(self.projects.values()):
            state.adopt(self.settings)
            if not state.ready:
                state.build(snapshot.overlays, progress, save=False)

    def rebuild(self, folders: set[Path] | None, snapshot: Snapshot, reload: bool) -> None:
        for folder, state in list(self.projects.items()):
            if folders is None or folder in folders:
                if reload:
                    state.reload_config(self.settings)
                state.build(snapshot.overlays)

    def save_caches(self) -> None:
        for state in list(self.projects.values()):
            state.save_cache()

    def project_for(self, path: Path) -> ProjectState | None:
        """The project owning `path`: the one with the deepest root."""
        owners = [s for s in self.projects.values() if s.owns(path)]
        return max(owners, key=lambda s: len(s.root.parts), default=None)

    def refresh(self, snapshot: Snapshot) -> set[Path]:
        """Bring ready projects up to date with the buffers, and retry the build of
        those whose index failed (a change or save is the user's next move)."""
        changed: set[Path] = set()
        for state in self.projects.values():
            if state.ready or state.error is not None:
                changed |= state.refresh(snapshot.overlays)
        return changed

    # -- checks (analysis thread) ------------------------------------------------------------
    def options(self, only: set[Path] | None) -> CheckOptions:
        return CheckOptions(select=self.settings.select, ignore=self.settings.ignore, only=only)

    def check(self, snapshot: Snapshot, paths: set[Path] | None) -> dict[Path, list[Finding]]:
        """Findings for `paths` (None: the whole workspace), buffers included."""
        self.refresh(snapshot)
        result: dict[Path, list[Finding]] = {p: [] for p in paths or ()}
        for state in self.distinct_projects():
            index = state.index
            if index is None:
                continue
            only = None
            if paths is not None:
                only = {p for p in paths if self.project_for(p) is state and p in index.by_path}
                if not only:
                    continue
            for finding in run_checks(index, state.config, self.options(only)).findings:
                result.setdefault(finding.path, []).append(finding)
        return result

    def distinct_projects(self) -> list[ProjectState]:
        by_root: dict[Path, ProjectState] = {}
        for state in self.projects.values():
            by_root.setdefault(state.root, state)
        return list(by_root.values())

    def fix_context(self, path: Path, snapshot: Snapshot) -> FixContext | None:
        state = self.project_for(path)
        if state is None or state.index is None:
            return None
        verifier = self._verifiers.get(state.root)
        if verifier is None or verifier.index is not state.index:
            # One per index snapshot: its baseline check is computed once.
            verifier = self._verifiers[state.root] = Verifier(state.index, state.config)
        return FixContext(state.index, state.config, snapshot.read, _verifier=verifier)

    def index_for(self, path: Path) -> tuple[WorkspaceIndex, Config] | None:
        state = self.project_for(path)
        if state is None or state.index is None:
            return None
        return state.index, state.config

    def status(self) -> dict[str, object]:
        errors = [s.error for s in self.projects.values() if s.error is not None]
        state = "error" if errors else "ready" if self.ready.is_set() else "indexing"
        return {
            "state": state,
            "error": "; ".join(errors) or None,
            "ready": state == "ready",
            "indexing": self.indexing,
            "folders": [str(f) for f in self.folders],
            "projects": [s.status() for s in self.projects.values()],
            "openDocuments": len(self.findings),
            "settings": self.settings.to_json(),
        }
