"""What a hub re-exports of its own package: each name, the module defining it, and the
module the hub reads it from (the hub model of docs/rules.md: a hub owns the
definitions of its package; a re-export of another package's name is a convenience,
not that name's hub)."""

from __future__ import annotations

from dataclasses import dataclass

from carve.core.hub_detection import nearest_first, owns
from carve.core.index import Module, Outcome, WorkspaceIndex
from carve.core.summary import Import


@dataclass(frozen=True, slots=True)
class Export:
    name: str  # as importers spell it, and as the defining module defines it
    defining: str  # the module defining it
    source: str  # the module the hub imports it from


def hub_exports(index: WorkspaceIndex, hub: Module) -> dict[str, Export]:
    """The names `hub` re-exports (by name or through a star import) that a module of
    its package defines under the same name, by name."""
    exported = [(bound, binding.source) for bound, binding in index.reexports(hub).items()]
    for source in index.star_sources(hub):
        exported.extend((name, source) for name in sorted(index.provided_names(source, hub) or ()))
    found: dict[str, Export] = {}
    for bound, source in exported:
        if bound in found or bound.startswith("__"):
            continue
        result = index.resolve(hub.name, bound, hub)
        if result.outcome is not Outcome.DEFINED or result.name != bound:
            continue  # a submodule, a rename (`X as Y`), or not statically known
        defining = index.get(result.module, hub)
        if defining is not None and owns(index, hub, defining):
            found[bound] = Export(bound, defining.name, source)
    return found


class ExportTable:
    """The selected hubs' exports, and for a definition the nearest selected hub
    re-exporting it."""

    def __init__(self, index: WorkspaceIndex, hubs: list[Module]) -> None:
        self.index = index
        self.hubs = {hub.name: hub for hub in hubs}
        self.exports = {hub.name: hub_exports(index, hub) for hub in hubs}
        self._by_definition: dict[tuple[str, str], list[Module]] = {}
        for hub in hubs:
            for export in self.exports[hub.name].values():
                self._by_definition.setdefault((export.defining, export.name), []).append(hub)
        for (defining_name, name), found in self._by_definition.items():
            defining = index.get(defining_name)
            if defining is None:
                continue
            sources = {h.name: self.exports[h.name][name].source for h in found}
            found.sort(key=lambda h: nearest_first(h, sources[h.name], defining))
        # defining module → name → its nearest selected hub
        self.reexported: dict[str, dict[str, Module]] = {}
        for (defining_name, name), found in sorted(self._by_definition.items()):
            self.reexported.setdefault(defining_name, {})[name] = found[0]

    def hub_of(self, defining: str, name: str) -> Module | None:
        """The nearest selected hub re-exporting `defining`'s `name`."""
        found = self._by_definition.get((defining, name))
        return found[0] if found else None


def is_hub_reexport(index: WorkspaceIndex, module: Module, statement: Import, bound: str) -> bool:
    """Whether `statement` is `module`'s own re-export of `bound` (a hub chaining through
    a hub, which is how hubs are built: never an importer to migrate)."""
    if not index.is_hub(module):
        return False
    binding = index.bindings(module).get(bound)
    return (
        binding is not None
        and binding.statement is statement
        and index.is_reexport(module, binding)
    )
