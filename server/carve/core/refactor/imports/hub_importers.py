"""Per importer, the import statements `carve imports` rewrites: with `direct`, names
read through a selected hub go to their defining module; with `via-hub`, names read
from their defining module go through the nearest selected hub. What stays as it is,
and why, is counted for the report.

The decisions, per name:
- a hub's own re-export statements never change (a hub chaining through a hub is how
  hubs are built);
- `direct` under a hub whose import-policy is via-hub rewrites only importers inside
  the hub's package: outsiders must import through the hub, so they keep doing so;
- `via-hub` routes only outsiders: inside its package a module imports its siblings
  directly (through its own hub it would be a circular import waiting to happen), and
  an importer the hub itself imports at module level stays direct (a cycle)."""

from __future__ import annotations

from dataclasses import dataclass, field

from carve.core.config import ImportPolicy
from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.imports.hub_exports import ExportTable, is_hub_reexport
from carve.core.refactor.move.cycles import ImportGraph
from carve.core.refactor.move.importers import Redirect
from carve.core.rules.context import within
from carve.core.summary import Import, ImportContext, ImportedName


@dataclass(frozen=True, slots=True)
class ModulePass:
    """Reads of `names` through module `source`'s object, pointed at `destination`."""

    source: str  # the hub with `direct`, a defining module with `via-hub`
    destination: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModuleRead:
    """`import apps.billing.models as m` … `m.Invoice`: reads through a module object
    (the hub's with direct, a defining module's with via-hub), one pass per
    destination module."""

    statement: Import
    passes: tuple[ModulePass, ...]


@dataclass
class ImporterPlan:
    module: Module
    redirects: list[Redirect] = field(default_factory=list)
    module_reads: list[ModuleRead] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.redirects or self.module_reads)


class HubImporters:
    def __init__(self, index: WorkspaceIndex, table: ExportTable, direct: bool) -> None:
        self.index = index
        self.table = table
        self.direct = direct
        self.graph = ImportGraph(index)
        # reason → importer files left as they are for it (shown to the user)
        self.kept: dict[str, set[str]] = {}

    def plan(self, module: Module) -> ImporterPlan:
        found = ImporterPlan(module)
        for statement in module.summary.imports:
            if not statement.from_import:
                self._module_objects(found, statement, [n.name for n in statement.names])
                continue
            source = self.index.absolute(module, statement)
            bound = [f"{source}.{n.name}" for n in statement.names]
            self._module_objects(found, statement, bound)
            if self.direct:
                self._to_definition(found, statement)
            else:
                self._to_hub(found, statement)
        return found

    # -- direct ----------------------------------------------------------------------
    def _to_definition(self, found: ImporterPlan, statement: Import) -> None:
        module = found.module
        source = self.index.absolute(module, statement)
        hub = self.table.hubs.get(source)
        if hub is None or hub is module:
            return
        exports = self.table.exports[hub.name]
        for imported in statement.names:
            export = exports.get(imported.name)
            if export is None or export.defining == module.name:
                continue
            if self._hub_reexport(module, statement, imported):
                continue
            if not self._direct_allowed(module, hub):
                self._keep(module, f"`{hub.name}` is via-hub: outsiders import through it")
                continue
            found.redirects.append(Redirect(statement, imported, export.defining))

    def _direct_allowed(self, module: Module, hub: Module) -> bool:
        """Under a via-hub hub only its own package's modules go direct."""
        if self.index.config.policy_for(hub.name) is not ImportPolicy.VIA_HUB:
            return True
        return within(module.name, self.index.hub_package(hub))

    def _module_objects(self, found: ImporterPlan, statement: Import, names: list[str]) -> None:
        """Module objects `statement` binds (`import a.models as m`, `from a import
        models`) whose reads of hub names this mode rewrites."""
        passes: list[ModulePass] = []
        for name in names:
            if name == found.module.name:
                continue
            if self.direct:
                passes.extend(self._to_definitions(found.module, name))
            else:
                passes.extend(self._to_hubs(found.module, statement, name))
        if passes:
            found.module_reads.append(ModuleRead(statement, tuple(passes)))

    def _to_definitions(self, module: Module, name: str) -> list[ModulePass]:
        hub = self.table.hubs.get(name)
        if hub is None or not self._direct_allowed(module, hub):
            return []
        groups: dict[str, list[str]] = {}
        for export in self.table.exports[name].values():
            groups.setdefault(export.defining, []).append(export.name)
        return [ModulePass(name, d, tuple(names)) for d, names in sorted(groups.items())]

    def _to_hubs(self, module: Module, statement: Import, name: str) -> list[ModulePass]:
        groups: dict[str, list[str]] = {}
        for exported, hub in self.table.reexported.get(name, {}).items():
            if hub is module or within(module.name, self.index.hub_package(hub)):
                continue
            if self._cycle(module, statement, hub):
                continue
            groups.setdefault(hub.name, []).append(exported)
        return [ModulePass(name, h, tuple(names)) for h, names in sorted(groups.items())]

    def _cycle(self, module: Module, statement: Import, hub: Module) -> bool:
        if statement.context is not ImportContext.MODULE:
            return False
        if not self.graph.reaches(hub.name, module.name):
            return False
        self._keep(module, f"`{hub.name}` imports it: through the hub would be a cycle")
        return True

    # -- via-hub ---------------------------------------------------------------------
    def _to_hub(self, found: ImporterPlan, statement: Import) -> None:
        module = found.module
        source = self.index.absolute(module, statement)
        for imported in statement.names:
            hub = self.table.hub_of(source, imported.name)
            if hub is None or hub is module or within(module.name, self.index.hub_package(hub)):
                continue
            if self._hub_reexport(module, statement, imported):
                continue
            if self._cycle(module, statement, hub):
                continue
            found.redirects.append(Redirect(statement, imported, hub.name))

    # -- both --------------------------------------------------------------------------
    def _hub_reexport(self, module: Module, statement: Import, imported: ImportedName) -> bool:
        return is_hub_reexport(self.index, module, statement, imported.bound)

    def _keep(self, module: Module, reason: str) -> None:
        self.kept.setdefault(reason, set()).add(module.name)
