"""What every rule sees: the index, the configuration, and a few shared derived maps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.config import Config
from carve.core.findings import Finding, Span
from carve.core.hub_detection import nearest_first, owns
from carve.core.index import Module, Outcome, WorkspaceIndex
from carve.core.rules.registry import RULES
from carve.core.summary import Import, ImportedName


@dataclass
class RuleContext:
    index: WorkspaceIndex
    config: Config
    # Report findings only for these files (None: all); rules still read everything.
    only: set[Path] | None = None
    _reexporters: dict[tuple[Path, str], list[tuple[Module, str]]] | None = field(
        default=None, repr=False
    )
    _definers: dict[str, list[Module]] | None = field(default=None, repr=False)

    def reported_modules(self) -> Iterator[Module]:
        for module in self.index.modules():
            if self.only is None or module.path in self.only:
                yield module

    def finding(
        self,
        rule: str,
        module: Module,
        span: Span,
        message: str,
        symbol: str = "",
        **data: object,
    ) -> Finding:
        severity = self.config.severities.get(rule, RULES[rule].severity)
        return Finding(rule, module.path, span, message, severity, symbol, data=dict(data))

    def reexporters(self, defining: Module, name: str) -> list[tuple[Module, str]]:
        """The hubs owning the definition `defining.name` that re-export it (by name or
        through a star import), each with the module it imports from, nearest first:
        the first is *the* hub of that name (docs/rules.md, "The hub model")."""
        if self._reexporters is None:
            self._reexporters = self._reexport_table()
        return self._reexporters.get((defining.path, name), [])

    def _reexport_table(self) -> dict[tuple[Path, str], list[tuple[Module, str]]]:
        index = self.index
        table: dict[tuple[Path, str], list[tuple[Module, str]]] = {}
        for hub in index.hubs():
            exported = [(bound, b.source) for bound, b in index.reexports(hub).items()]
            for source in index.star_sources(hub):
                exported.extend((name, source) for name in index.provided_names(source, hub) or ())
            for bound, source in exported:
                result = index.resolve(hub.name, bound, hub)
                if result.outcome is not Outcome.DEFINED:
                    continue
                defining = index.get(result.module, hub)
                if defining is not None and owns(index, hub, defining):
                    hubs = table.setdefault((defining.path, result.name), [])
                    if all(known is not hub for known, _ in hubs):
                        hubs.append((hub, source))
        for (path, _), hubs in table.items():
            defining = index.by_path[path]
            hubs.sort(key=lambda pair: nearest_first(pair[0], pair[1], defining))
        return table

    def definers(self, name: str, near: Module | None = None) -> list[str]:
        """Modules that define `name` at top level (for 'where does it live now' fixes),
        as seen from `near`'s import root."""
        if self._definers is None:
            table: dict[str, list[Module]] = {}
            for module in self.index.modules():
                for defined in module.summary.definitions:
                    table.setdefault(defined, []).append(module)
            self._definers = table
        found = self._definers.get(name, [])
        if near is not None:
            found = [m for m in found if self.index.get(m.name, near) is m]
        return sorted({m.name for m in found})


def name_span(imported: ImportedName) -> Span:
    return Span(imported.line, imported.column, imported.line, imported.end_column)


def statement_span(statement: Import) -> Span:
    return Span(statement.line, statement.column, statement.end_line, statement.end_column)


def within(module_name: str, package: str) -> bool:
    return not package or module_name == package or module_name.startswith(package + ".")
