"""What a change set can reach, so the verifier re-checks only that: the modules whose
imports it can break, and the import graph with only their edges recomputed.

A module's edges and import resolution depend on its own statements and on which
modules exist. So an edit reaches the edited modules, their importers (and star
importers, transitively), and, when it creates or deletes a module, every module whose
imports name that module, a module below it, or it through its package
(`from pkg import clock`). Everything else is unchanged, and its edges and findings are
read from the baseline. On Django (2,800 modules) a move that creates a file no longer
re-indexes the import graph and import resolution of the whole workspace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from carve.core.index import WorkspaceIndex
from carve.core.rules.cycles import module_edges
from carve.core.summary import Import

Edges = dict[str, Import]  # imported module path → first statement importing it

Importers = dict[str, set[Path]]


def importers_by_module(index: WorkspaceIndex) -> tuple[Importers, Importers, Importers]:
    """Module name → paths of modules importing it (from-imports, plain imports), of
    those star-importing it, and package name → paths of `from package import name`
    importers keyed `package.name` (a submodule created or deleted there)."""
    importers: Importers = {}
    stars: Importers = {}
    children: Importers = {}
    for module in index.modules():
        for statement in module.summary.imports:
            if statement.from_import:
                source = index.absolute(module, statement)
                importers.setdefault(source, set()).add(module.path)
                for imported in statement.names:
                    if imported.name == "*":
                        stars.setdefault(source, set()).add(module.path)
                    else:
                        children.setdefault(f"{source}.{imported.name}", set()).add(module.path)
            else:
                for imported in statement.names:
                    importers.setdefault(imported.name, set()).add(module.path)
    return importers, stars, children


@dataclass(frozen=True, slots=True)
class EditReach:
    before: WorkspaceIndex
    after: WorkspaceIndex
    edited: set[Path]
    importers: Importers
    stars: Importers
    children: Importers

    def appeared(self) -> set[str]:
        """Names of modules the edit creates or deletes."""
        created = {m.name for p in self.edited if (m := self.after.by_path.get(p))}
        created -= {m.name for p in self.edited if (m := self.before.by_path.get(p))}
        deleted = {m.name for p in self.edited if (m := self.before.by_path.get(p))}
        deleted -= {m.name for p in self.edited if (m := self.after.by_path.get(p))}
        return created | deleted

    def naming(self, names: set[str]) -> set[Path]:
        """Modules whose imports name one of `names`, a module below it, or it as a
        name imported from its package."""
        found: set[Path] = set()
        for name in names:
            found.update(self.importers.get(name, ()))
            found.update(self.children.get(name, ()))
        prefixes = tuple(f"{name}." for name in names)
        if prefixes:
            for imported, paths in self.importers.items():
                if imported.startswith(prefixes):
                    found.update(paths)
        return found

    def affected(self) -> set[Path]:
        """Modules whose imports the edit can break: the edited ones, their importers,
        star importers transitively (a name lost two star imports away; a deeper chain
        through named re-exports breaks at its first link, an importer), and the
        modules naming a module created or deleted."""
        names = {m.name for p in self.edited if (m := self.after.by_path.get(p))}
        names |= {m.name for p in self.edited if (m := self.before.by_path.get(p))}
        appeared = self.appeared()
        affected = set(self.edited) | self.naming(appeared)
        for name in names:
            affected.update(self.importers.get(name, ()))
        # `from pkg import *` may take a submodule created or deleted in `pkg` (`__all__`)
        packages = {name.rpartition(".")[0] for name in appeared} - {""}
        queue, seen = list(names | packages), names | packages
        while queue:
            for path in self.stars.get(queue.pop(), ()):
                module = self.after.by_path.get(path)
                if module is not None and module.name not in seen:
                    seen.add(module.name)
                    queue.append(module.name)
                    affected.update(self.importers.get(module.name, ()))
        return {p for p in affected if p in self.after.by_path}

    def graph(self, before: Mapping[str, Edges]) -> Mapping[str, Edges]:
        """The runtime import graph after the edit, from the one before."""
        removed = {p.as_posix() for p in self.edited if p not in self.after.by_path}
        changed: dict[str, Edges] = {}
        for path in self.edited | self.naming(self.appeared()):
            module = self.after.by_path.get(path)
            if module is not None:
                changed[path.as_posix()] = module_edges(self.after, module, runtime=True)
        return PatchedGraph(before, changed, removed)


class LazyGraph(Mapping[str, Edges]):
    """An index's runtime import graph (`import_graph(index, runtime=True)`), each
    module's edges computed when first read: a fix's cycle check reads the modules
    reachable from the files it edits, not the whole workspace."""

    def __init__(self, index: WorkspaceIndex) -> None:
        self.index = index
        self._modules = {module.path.as_posix(): module for module in index.modules()}
        self._edges: dict[str, Edges] = {}

    def __getitem__(self, node: str) -> Edges:
        edges = self._edges.get(node)
        if edges is None:
            module = self._modules[node]  # KeyError: not a module of the index
            edges = self._edges[node] = module_edges(self.index, module, runtime=True)
        return edges

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


class PatchedGraph(Mapping[str, Edges]):
    """`base` with some nodes' edges replaced (or added) and some nodes removed."""

    def __init__(self, base: Mapping[str, Edges], changed: dict[str, Edges], removed: set[str]):
        self.base = base
        self.changed = changed
        self.removed = removed - set(changed)

    def __getitem__(self, node: str) -> Edges:
        edges = self.changed.get(node)
        if edges is not None:
            return edges
        if node in self.removed:
            raise KeyError(node)
        return self.base[node]

    def __iter__(self) -> Iterator[str]:
        yield from self.changed
        yield from (n for n in self.base if n not in self.changed and n not in self.removed)

    def __len__(self) -> int:
        return sum(1 for _ in self)
