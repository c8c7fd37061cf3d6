"""Stable rule names, default severities and one-line summaries (docs/rules.md has examples)."""

from __future__ import annotations

from dataclasses import dataclass

from carve.core.findings import Severity

DOCS_URL = "https://github.com/carve-dev/carve/blob/main/docs/rules.md"


@dataclass(frozen=True, slots=True)
class RuleInfo:
    name: str
    severity: Severity
    summary: str

    @property
    def url(self) -> str:
        return f"{DOCS_URL}#{self.name}"


_RULES = (
    RuleInfo("parse-error", Severity.ERROR, "the file cannot be read or parsed"),
    RuleInfo("internal-error", Severity.ERROR, "carve failed on this file (please report it)"),
    RuleInfo("file-too-long", Severity.WARNING, "a module longer than max-lines"),
    RuleInfo("too-many-classes", Severity.WARNING, "more than max-classes top-level classes"),
    RuleInfo("hub-bypass", Severity.WARNING, "an import that skips the hub re-exporting it"),
    RuleInfo("legacy-hub-import", Severity.WARNING, "an import through a legacy hub"),
    RuleInfo("broken-reexport", Severity.ERROR, "a hub re-exports something that is gone"),
    RuleInfo("unresolved-import", Severity.ERROR, "an import of a name no module provides"),
    RuleInfo("dunder-all-mismatch", Severity.WARNING, "__all__ and the module disagree"),
    RuleInfo("missing-reexport", Severity.WARNING, "a public class its hub does not re-export"),
    RuleInfo("hub-self-import", Severity.WARNING, "a feature file importing its own hub"),
    RuleInfo("import-cycle", Severity.WARNING, "a cycle of module-level imports"),
    RuleInfo("invalid-suppression", Severity.WARNING, "a carve: ignore without a reason"),
    RuleInfo("unused-suppression", Severity.WARNING, "a carve: ignore that suppresses nothing"),
    RuleInfo("stale-baseline", Severity.WARNING, "a baseline entry that no longer occurs"),
)

RULES: dict[str, RuleInfo] = {rule.name: rule for rule in _RULES}
