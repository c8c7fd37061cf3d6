"""What every step of a move shares: the index, both modules, the names, the edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.edits.edit_set import EditSet
from carve.core.refactor.edits.import_order import ImportOrder
from carve.core.refactor.edits.project_style import ProjectStyle, load_project_style
from carve.core.summary import Import


@dataclass
class MoveContext:
    index: WorkspaceIndex
    source: Module
    destination: str  # module name
    destination_path: Path
    destination_module: Module | None  # None: the destination is created
    requested: tuple[str, ...]  # names the source re-exports once they have moved
    edits: EditSet
    asked: tuple[str, ...] = ()  # names the user asked for (`__all__` lists them)
    plain: frozenset[str] = frozenset()  # imported back without the re-export form
    moved: set[str] = field(default_factory=set)  # requested + private helpers taken along
    warnings: list[str] = field(default_factory=list)
    # Importers `--importers direct` pointed past a via-hub hub (they get a warning).
    bypassing_hub: set[str] = field(default_factory=set)

    @cached_property
    def style(self) -> ProjectStyle:
        return load_project_style(self.index.config.root)

    @cached_property
    def order(self) -> ImportOrder:
        return ImportOrder(self.style, self.index.in_workspace)

    @property
    def destination_package(self) -> str:
        if self.destination_module is not None:
            return self.destination_module.package
        return self.destination.rpartition(".")[0]

    def absolute(self, module: Module, statement: Import) -> str:
        return self.index.absolute(module, statement)

    def relative_path(self, path: Path) -> str:
        root = self.index.config.root
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()
