"""`SplitModule`: carve a module into the feature files of a plan, as one change set.

A split is moves planned in a row, each on the index as the previous ones leave it: the
shared file first, then each feature file after the files it imports, so that every
file imports what it needs from where it now lives and never from the hub. The whole
is verified once (no new broken import, no new cycle) before it is offered.
"""

from __future__ import annotations

from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.index import WorkspaceIndex
from carve.core.overlay import overlay
from carve.core.refactor.edits import ReadText, read_from_disk
from carve.core.refactor.move import MoveSymbol
from carve.core.refactor.request import ImporterMode, MoveError, MoveRequest
from carve.core.refactor.split_plan import PlannedFile, SplitPlan, check_plan
from carve.core.verify import Verifier


class SplitModule:
    def __init__(
        self,
        index: WorkspaceIndex,
        plan: SplitPlan,
        importers: ImporterMode | None = None,
        read_text: ReadText | None = None,
    ) -> None:
        self.index = index
        self.split = plan
        self.importers = importers
        self.read_text = read_text or read_from_disk

    def plan(self) -> ChangeSet:
        split = check_plan(self.index, self.split, self.read_text)
        if split.layout == "package" and not self._source_is_package():
            raise MoveError(
                f"`{split.source}` is a module: the package layout needs it to be a package "
                "(`models/__init__.py`) first; use the flat layout or convert it"
            )
        combined = ChangeSet(f"Split {split.source} into {len(split.files)} files")
        index, texts = self.index, dict[Path, str]()
        for planned in _in_dependency_order(split.files):
            importers = ImporterMode.KEEP if planned.shared else self.importers
            request = MoveRequest(split.source, tuple(planned.names), planned.module, importers)
            step = MoveSymbol(index, request, _reader(texts, self.read_text)).draft()
            combined = combined.then(step)
            texts = {c.path: c.new_text for c in combined.changes if not c.deleted}
            index = overlay(self.index, combined)
        combined.title = f"Split {split.source} into {len(split.files)} files"
        verifier = Verifier(self.index, self.index.config)
        verifier.eager_tangle_reads = True
        verdict = verifier.verify(combined)
        if not verdict.ok:
            raise MoveError(f"the split {verdict.reason()}")
        return combined

    def _source_is_package(self) -> bool:
        module = self.index.get(self.split.source)
        return module is not None and module.is_package


def _in_dependency_order(files: list[PlannedFile]) -> list[PlannedFile]:
    """The shared file first, then every file after the planned files it imports."""
    done: set[str] = set()
    ordered: list[PlannedFile] = []
    pending = sorted(files, key=lambda p: not p.shared)
    while pending:
        ready = [p for p in pending if set(p.needs) <= done] or pending[:1]
        for planned in ready:
            ordered.append(planned)
            done.add(planned.module)
            pending.remove(planned)
    return ordered


def _reader(texts: dict[Path, str], read_text: ReadText) -> ReadText:
    def read(path: Path) -> str:
        return texts[path] if path in texts else read_text(path)

    return read
