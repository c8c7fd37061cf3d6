"""What every rule sees: the index, the configuration, and a few shared derived maps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.config import Config
from carve.core.findings import Finding, Span
from carve.core.index import Module, WorkspaceIndex
from carve.core.rules.owners import hub_owners
from carve.core.rules.registry import RULES
from carve.core.summary import Import, ImportedName


@dataclass
class RuleContext:
    index: WorkspaceIndex
    config: Config
    # Report findings only for these files (None: all); rules still read everything.
    only: set[Path] | None = None
    _definers: dict[str, list[Module]] | None = field(default=None, repr=False)

    def reported_modules(self) -> Iterator[Module]:
        if self.only is None:
            yield from self.index.modules()
            return
        for path in self.only:
            module = self.index.by_path.get(path)
            if module is not None:
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
        return hub_owners(self.index).reexporters(defining, name)

    def enclosing_hubs(self) -> list[Module]:
        """Hubs whose feature files may be reported: every hub, or with `only` the hubs
        enclosing the reported files (a hub's feature files live inside its package)."""
        if self.only is None:
            return list(self.index.hubs())
        owners = hub_owners(self.index)
        found: dict[Path, Module] = {}
        for path in self.only:
            module = self.index.by_path.get(path)
            if module is not None:
                found.update((hub.path, hub) for hub in owners.candidates(module))
        return list(found.values())

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
