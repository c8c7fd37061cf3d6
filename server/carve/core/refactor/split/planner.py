"""`SplitModule`: carve a module into the feature files of a plan, as one change set.

A split is moves planned in a row, each on the index as the previous ones leave it: the
shared file first, then each feature file after the files it imports, so that every
file imports what it needs from where it now lives and never from the hub. The whole
is verified once (no new broken import, no new cycle) before it is offered.
"""

from __future__ import annotations

import ast
from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.index import Module, WorkspaceIndex
from carve.core.overlay import overlay
from carve.core.refactor.edits.edit_set import ReadText, read_from_disk
from carve.core.refactor.edits.splices import FileEdit, LineIndex
from carve.core.refactor.edits.syntax import parse_tree
from carve.core.refactor.move.planner import MoveSymbol
from carve.core.refactor.request import ImporterMode, MoveError, MoveRequest
from carve.core.refactor.split.deprecation import deprecate_reexports
from carve.core.refactor.split.plan import PlannedFile, SplitPlan, check_plan
from carve.core.summary import ModuleSummary
from carve.core.verify import Verifier


class SplitModule:
    def __init__(
        self,
        index: WorkspaceIndex,
        plan: SplitPlan,
        importers: ImporterMode | None = None,
        read_text: ReadText | None = None,
        deprecate: bool = False,
    ) -> None:
        self.index = index
        self.split = plan
        self.importers = importers
        self.read_text = read_text or read_from_disk
        self.deprecate = deprecate  # the hub warns on every name imported through it

    def plan(self) -> ChangeSet:
        split = check_plan(self.index, self.split, self.read_text)
        combined = ChangeSet(f"Split {split.source} into {len(split.files)} files")
        index, texts = self.index, dict[Path, str]()
        summaries: dict[str, ModuleSummary] = {}  # by text digest: each step re-reads few
        source = self.index.get(split.source)
        if split.layout == "package" and source is not None and not source.is_package:
            combined = as_package(source, self.read_text(source.path))
            texts = {c.path: c.new_text for c in combined.changes if not c.deleted}
            index = overlay(self.index, combined, summaries)
        for planned in _in_dependency_order(split.files):
            importers = ImporterMode.KEEP if planned.shared else self.importers
            request = MoveRequest(split.source, tuple(planned.names), planned.module, importers)
            step = MoveSymbol(index, request, _reader(texts, self.read_text)).draft()
            combined = combined.then(step)
            texts = {c.path: c.new_text for c in combined.changes if not c.deleted}
            index = overlay(self.index, combined, summaries)
        combined.title = f"Split {split.source} into {len(split.files)} files"
        if self.deprecate:
            self._deprecate(combined, index)
        verifier = Verifier(self.index, self.index.config, summaries)
        verifier.eager_tangle_reads = True
        verdict = verifier.verify(combined)
        if not verdict.ok:
            raise MoveError(f"the split {verdict.reason()}")
        return combined

    def _deprecate(self, combined: ChangeSet, index: WorkspaceIndex) -> None:
        hub = index.get(self.split.source)
        if hub is None:
            return
        text = combined.text_of(hub.path)
        if text is None:
            return
        moved = {n: p.module for p in self.split.files for n in p.names}
        old = next((c.old_text for c in combined.changes if c.path == hub.path), None)
        combined.add(hub.path, old, deprecate_reexports(text, hub.path, moved))


def as_package(module: Module, text: str) -> ChangeSet:
    """`models.py` → `models/__init__.py`, byte for byte but for relative imports, which
    gain a level (`from .base import X` → `from ..base import X`): the package's own
    modules are its feature files now."""
    folder = module.path.with_suffix("")
    if folder.exists():
        raise MoveError(f"{folder} exists: cannot turn `{module.name}` into a package there")
    lines = LineIndex(text)
    edit = FileEdit(text, lines)
    for node in ast.walk(parse_tree(text, module.path)):
        if isinstance(node, ast.ImportFrom) and node.level:
            start = lines.offset_bytes(node.lineno, node.col_offset)
            dots = text.index(".", start)
            edit.insert(dots, ".")
    changes = ChangeSet(f"Turn {module.name} into a package")
    changes.delete(module.path, text)
    changes.add(folder / "__init__.py", None, edit.result())
    return changes


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
