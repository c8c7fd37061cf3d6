"""Module-level import reachability, to refuse moves that would create an import cycle."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from carve.core.index import Module, WorkspaceIndex
from carve.core.summary import Import, ImportContext


class ImportGraph:
    """Edges that run at import time, computed per module on demand, plus planned ones."""

    def __init__(self, index: WorkspaceIndex) -> None:
        self.index = index
        self._edges: dict[str, set[str]] = {}
        self.extra: dict[str, set[str]] = {}

    def add(self, importer: str, imported: str) -> None:
        self.extra.setdefault(importer, set()).add(imported)

    def edges(self, name: str) -> set[str]:
        found = self._edges.get(name)
        if found is None:
            module = self.index.get(name)
            found = self._module_edges(module) if module is not None else set()
            self._edges[name] = found
        return found | self.extra.get(name, set())

    def replace(self, module: Module, skip: Callable[[Import], bool]) -> None:
        """Recompute `module`'s edges without the statements a plan removes."""
        self._edges[module.name] = self._module_edges(module, skip)

    def _module_edges(
        self, module: Module, skip: Callable[[Import], bool] | None = None
    ) -> set[str]:
        targets: set[str] = set()
        for statement in module.summary.imports:
            if statement.context is not ImportContext.MODULE:
                continue
            if skip is not None and skip(statement):
                continue
            targets |= self.targets(module, statement)
        return targets

    def targets(self, module: Module, statement: Import) -> set[str]:
        """What `carve check`'s import-cycle rule sees the statement import: `from . import
        sibling` reaches `sibling`, not the package `__init__` (already initialising)."""
        found = self.index.imported_modules(module, statement)
        return {target.name for target in found if target is not module}

    def path(self, start: str, goal: str) -> list[str] | None:
        """A shortest import chain start → … → goal, or None."""
        parents: dict[str, str] = {start: start}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for target in sorted(self.edges(current)):
                if target in parents:
                    continue
                parents[target] = current
                if target == goal:
                    chain = [goal]
                    while chain[-1] != start:
                        chain.append(parents[chain[-1]])
                    return chain[::-1]
                queue.append(target)
        return None

    def reaches(self, start: str, goal: str) -> bool:
        return start == goal or self.path(start, goal) is not None
