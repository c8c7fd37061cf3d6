"""What every rule sees: the index, the configuration, and a few shared derived maps."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.config import Config
from carve.core.findings import Finding, Severity, Span
from carve.core.index import Binding, Module, Outcome, WorkspaceIndex
from carve.core.rules.registry import RULES
from carve.core.summary import Import, ImportedName


@dataclass
class RuleContext:
    index: WorkspaceIndex
    config: Config
    # Report findings only for these files (None: all); rules still read everything.
    only: set[Path] | None = None
    _reexporters: dict[tuple[str, str], list[tuple[Module, Binding]]] | None = field(
        default=None, repr=False
    )
    _definers: dict[str, list[str]] | None = field(default=None, repr=False)

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

    def reexporters(self, module: str, name: str) -> list[tuple[Module, Binding]]:
        """Hubs re-exporting the definition `module.name`, nearest first."""
        if self._reexporters is None:
            table: dict[tuple[str, str], list[tuple[Module, Binding]]] = {}
            for hub in self.index.hubs():
                for bound, binding in self.index.reexports(hub).items():
                    result = self.index.resolve(hub.name, bound, hub)
                    if result.outcome is Outcome.DEFINED:
                        table.setdefault((result.module, result.name), []).append((hub, binding))
            for (defining, _), hubs in table.items():
                hubs.sort(key=functools.partial(_nearest_first, defining=defining))
            self._reexporters = table
        return self._reexporters.get((module, name), [])

    def definers(self, name: str) -> list[str]:
        """Modules that define `name` at top level (for 'where does it live now' fixes)."""
        if self._definers is None:
            table: dict[str, list[str]] = {}
            for module in self.index.modules():
                for defined in module.summary.definitions:
                    table.setdefault(defined, []).append(module.name)
            self._definers = {k: sorted(set(v)) for k, v in table.items()}
        return self._definers.get(name, [])


def name_span(imported: ImportedName) -> Span:
    return Span(imported.line, imported.column, imported.line, imported.end_column)


def statement_span(statement: Import) -> Span:
    return Span(statement.line, statement.column, statement.end_line, statement.end_column)


def within(module_name: str, package: str) -> bool:
    return not package or module_name == package or module_name.startswith(package + ".")


def is_severity_off(ctx: RuleContext, rule: str) -> bool:
    return ctx.config.severities.get(rule) is Severity.OFF


def _nearest_first(pair: tuple[Module, Binding], *, defining: str) -> tuple[bool, int]:
    """The hub importing straight from the feature file first, then the deepest."""
    hub, binding = pair
    return (binding.source != defining, -len(hub.name))
