"""`carve imports --report`: who imports what through a hub (seed 000's
`analyze_imports.py`, statically). Per hub and per name it re-exports: the importer
files reading it through the hub (with line and context), and how many outsiders read
it from its defining module instead; plus the files holding the hub's module object."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carve.core.baseline import relative_path
from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.imports.hub_exports import ExportTable, is_hub_reexport
from carve.core.rules.context import within
from carve.core.summary import Import, ImportContext


@dataclass(frozen=True, slots=True)
class ImportSite:
    path: Path
    line: int
    context: ImportContext

    def to_json(self, root: Path) -> dict[str, Any]:
        return {"path": relative_path(self.path, root), "line": self.line, "context": self.context}


@dataclass
class NameUsage:
    name: str
    defined_in: str
    through_hub: list[ImportSite] = field(default_factory=list)
    direct: list[ImportSite] = field(default_factory=list)  # outsiders, from the definition

    @property
    def importers(self) -> int:
        return len({site.path for site in self.through_hub})

    @property
    def direct_importers(self) -> int:
        return len({site.path for site in self.direct})


@dataclass
class HubUsage:
    hub: Module
    policy: str
    names: list[NameUsage]
    module_importers: list[ImportSite] = field(default_factory=list)

    @property
    def importers(self) -> int:
        """Distinct files importing any name through the hub."""
        return len({site.path for usage in self.names for site in usage.through_hub})

    def to_json(self, root: Path) -> dict[str, Any]:
        return {
            "hub": self.hub.name,
            "path": relative_path(self.hub.path, root),
            "policy": self.policy,
            "importers": self.importers,
            "names": [
                {
                    "name": usage.name,
                    "definedIn": usage.defined_in,
                    "importers": usage.importers,
                    "files": [site.to_json(root) for site in usage.through_hub],
                    "direct": usage.direct_importers,
                }
                for usage in self.names
            ],
            "moduleImporters": [site.to_json(root) for site in self.module_importers],
        }


def hub_report(
    index: WorkspaceIndex, hubs: list[Module], selected: set[Path] | None = None
) -> list[HubUsage]:
    """One `HubUsage` per hub; only importer files in `selected` when given."""
    table = ExportTable(index, hubs)
    usages = {
        hub.name: {
            name: NameUsage(name, export.defining)
            for name, export in table.exports[hub.name].items()
        }
        for hub in hubs
    }
    module_importers: dict[str, list[ImportSite]] = {hub.name: [] for hub in hubs}
    for module in sorted(index.modules(), key=lambda m: str(m.path)):
        if selected is not None and module.path not in selected:
            continue
        for statement in module.summary.imports:
            site = ImportSite(module.path, statement.line, statement.context)
            for hub_name in _module_objects(index, table, module, statement):
                module_importers[hub_name].append(site)
            if not statement.from_import:
                continue
            source = index.absolute(module, statement)
            through = usages.get(source) if source != module.name else None
            for imported in statement.names:
                if (
                    through is not None
                    and imported.name in through
                    and not is_hub_reexport(index, module, statement, imported.bound)
                ):
                    through[imported.name].through_hub.append(site)
                nearest = table.hub_of(source, imported.name)
                if nearest is not None and not within(module.name, index.hub_package(nearest)):
                    usages[nearest.name][imported.name].direct.append(site)
    report = []
    for hub in hubs:
        names = sorted(usages[hub.name].values(), key=lambda u: (-u.importers, u.name))
        policy = index.config.policy_for(hub.name).value
        report.append(HubUsage(hub, policy, names, module_importers[hub.name]))
    return report


def _module_objects(
    index: WorkspaceIndex, table: ExportTable, module: Module, statement: Import
) -> list[str]:
    """Hubs whose module object `statement` binds (`import a.models as m`,
    `from a import models`)."""
    if statement.from_import:
        source = index.absolute(module, statement)
        names = [f"{source}.{n.name}" for n in statement.names]
    else:
        names = [n.name for n in statement.names]
    return [name for name in names if name in table.hubs and name != module.name]
