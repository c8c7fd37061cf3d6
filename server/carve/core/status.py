"""`carve status`: the seeds' hand-kept migration table, computed from the index."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from carve.core.findings import Finding
from carve.core.index import Module, Outcome, WorkspaceIndex
from carve.core.rules.context import within


@dataclass
class PackageStatus:
    package: str
    hubs: list[str] = field(default_factory=list)
    feature_files: list[str] = field(default_factory=list)
    largest_file: str = ""
    largest_lines: int = 0
    outside_imports: int = 0
    via_hub: int = 0
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def hub_share(self) -> float | None:
        return self.via_hub / self.outside_imports if self.outside_imports else None

    def to_json(self) -> dict[str, object]:
        return {
            "package": self.package,
            "hubs": self.hubs,
            "feature_files": self.feature_files,
            "largest_file": self.largest_file,
            "largest_lines": self.largest_lines,
            "outside_imports": self.outside_imports,
            "via_hub": self.via_hub,
            "hub_share": self.hub_share,
            "findings": self.findings,
        }


def migration_status(index: WorkspaceIndex, findings: list[Finding]) -> list[PackageStatus]:
    by_package: dict[str, list[Module]] = {}
    for module in index.modules():
        by_package.setdefault(module.package, []).append(module)
    finding_counts: dict[str, Counter[str]] = {}
    for finding in findings:
        owner = index.by_path.get(finding.path)
        if owner is not None:
            finding_counts.setdefault(owner.package, Counter())[finding.rule] += 1
    rows: list[PackageStatus] = []
    for package, modules in sorted(by_package.items()):
        hubs = [m for m in modules if index.is_hub(m) and index.hub_package(m) == package]
        counts = finding_counts.get(package, Counter())
        if not hubs and not counts:
            continue
        largest = max(modules, key=lambda m: m.summary.line_count)
        row = PackageStatus(
            package=package or "(top level)",
            hubs=sorted(h.name for h in hubs),
            feature_files=_feature_files(index, hubs),
            largest_file=largest.name,
            largest_lines=largest.summary.line_count,
            findings=dict(sorted(counts.items())),
        )
        _count_outside_imports(index, package, row)
        rows.append(row)
    return rows


def _feature_files(index: WorkspaceIndex, hubs: list[Module]) -> list[str]:
    names: set[str] = set()
    for hub in hubs:
        names.update(
            b.source
            for b in index.reexports(hub).values()
            if b.source != hub.name and within(b.source, index.hub_package(hub))
        )
    return sorted(names)


def _count_outside_imports(index: WorkspaceIndex, package: str, row: PackageStatus) -> None:
    for module in index.modules():
        if within(module.name, package):
            continue
        for statement in module.summary.imports:
            if not statement.from_import:
                continue
            source = index.absolute(module, statement)
            if not within(source, package):
                continue
            source_module = index.get(source, module)
            if source_module is None:
                continue
            for imported in statement.names:
                resolved = index.resolve(source, imported.name, module)
                if resolved.outcome is not Outcome.DEFINED or not within(resolved.module, package):
                    continue
                row.outside_imports += 1
                if resolved.module != source and index.is_hub(source_module):
                    row.via_hub += 1
