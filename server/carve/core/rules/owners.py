"""Which hubs own a definition, computed per definition on demand.

Only modules whose package encloses a definition can own it (a package `__init__`
above it, a component aggregator such as `models.py` in a package above it, or a
top-level aggregator), so "who re-exports `billing.invoice_models.Invoice`?" reads a
handful of hubs, never the whole workspace: a check of one edited file stays as cheap
as that file's imports (docs/rules.md, "The hub model").
"""

from __future__ import annotations

import weakref
from pathlib import Path

from carve.core.hub_detection import nearest_first, owns
from carve.core.index import Module, Outcome, WorkspaceIndex

# Per index: its owners table, built lazily and dropped with the index.
_OWNERS: weakref.WeakKeyDictionary[WorkspaceIndex, HubOwners] = weakref.WeakKeyDictionary()


def hub_owners(index: WorkspaceIndex) -> HubOwners:
    owners = _OWNERS.get(index)
    if owners is None:
        owners = _OWNERS[index] = HubOwners(index)
    return owners


class HubOwners:
    def __init__(self, index: WorkspaceIndex) -> None:
        self._index = weakref.ref(index)  # the table dies with its index
        self._exports: dict[Path, dict[tuple[Path, str], str]] = {}
        self._candidates: dict[Path, list[Module]] = {}
        self._reexporters: dict[tuple[Path, str], list[tuple[Module, str]]] = {}

    @property
    def index(self) -> WorkspaceIndex:
        index = self._index()
        assert index is not None, "an index's hub owners outlived it"
        return index

    def reexporters(self, defining: Module, name: str) -> list[tuple[Module, str]]:
        """The hubs owning `defining.name` that re-export it, each with the module it
        imports from, nearest first: the first is *the* hub of that name."""
        key = (defining.path, name)
        cached = self._reexporters.get(key)
        if cached is not None:
            return cached
        found = []
        for hub in self.candidates(defining):
            source = self.exports(hub).get(key)
            if source is not None:
                found.append((hub, source))
        found.sort(key=lambda pair: nearest_first(pair[0], pair[1], defining))
        self._reexporters[key] = found
        return found

    def candidates(self, module: Module) -> list[Module]:
        """Hubs whose package encloses `module`: every hub that may own its definitions
        or count it among its feature files."""
        cached = self._candidates.get(module.path)
        if cached is not None:
            return cached
        index = self.index
        modules = index.module_set
        parts = module.name.split(".")
        found: list[Module] = modules.aggregators("", index.by_path)
        for depth in range(1, len(parts)):
            package = ".".join(parts[:depth])
            found.extend(m for m in index.by_name.get(package, ()) if m.is_package)
            found.extend(modules.aggregators(package, index.by_path))
        cached = [m for m in found if m is not module and index.is_hub(m)]
        self._candidates[module.path] = cached
        return cached

    def exports(self, hub: Module) -> dict[tuple[Path, str], str]:
        """(defining path, name) → source module, for each definition `hub` owns and
        re-exports (by name first, then through star imports; the first source wins)."""
        cached = self._exports.get(hub.path)
        if cached is not None:
            return cached
        index = self.index
        exported = [(bound, b.source) for bound, b in index.reexports(hub).items()]
        for source in index.star_sources(hub):
            exported.extend((name, source) for name in index.provided_names(source, hub) or ())
        table: dict[tuple[Path, str], str] = {}
        for bound, source in exported:
            result = index.resolve(hub.name, bound, hub)
            if result.outcome is not Outcome.DEFINED:
                continue
            defining = index.get(result.module, hub)
            if defining is not None and owns(index, hub, defining):
                table.setdefault((defining.path, result.name), source)
        self._exports[hub.path] = table
        return table
