"""Inline `# carve: ignore[rule] reason`, per-file-ignores and severities, applied to findings.

A suppression must give a reason, and one that suppresses nothing is itself reported
(tach's lesson: ignores rot silently otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable

import pathspec
from pathspec import GitIgnoreSpec

from carve.core.config import Config
from carve.core.findings import Finding, Severity, Span
from carve.core.index import WorkspaceIndex
from carve.core.rules.registry import RULES
from carve.core.summary import Suppression


def apply_suppressions(
    findings: Iterable[Finding],
    index: WorkspaceIndex,
    config: Config,
    active_rules: set[str],
    reported_paths: set | None = None,  # type: ignore[type-arg]
) -> list[Finding]:
    ignores = {
        pattern: (pathspec.GitIgnoreSpec.from_lines([pattern]), set(rules))
        for pattern, rules in config.per_file_ignores.items()
    }
    used: set[tuple[object, int]] = set()
    kept: list[Finding] = []
    for finding in findings:
        if finding.severity is Severity.OFF or _file_ignored(finding, config, ignores):
            continue
        suppression = _matching(finding, index)
        if suppression is not None:
            used.add((finding.path, suppression.line))
            continue
        kept.append(finding)
    # A suppression of a rule that is deselected or `off` is not checked for use.
    enabled = {
        r for r in active_rules if config.severities.get(r, RULES[r].severity) is not Severity.OFF
    }
    reported = (
        index.modules()
        if reported_paths is None
        else (m for p in reported_paths if (m := index.by_path.get(p)) is not None)
    )
    for module in reported:
        for suppression in module.summary.suppressions:
            problem = _problem(suppression, (module.path, suppression.line) in used, enabled)
            if problem is None:
                continue
            rule, message = problem
            severity = config.severities.get(rule, RULES[rule].severity)
            if severity is Severity.OFF or rule not in active_rules:
                continue
            span = Span(suppression.line, suppression.column, suppression.line, suppression.column)
            symbol = f"{module.name}:{','.join(suppression.rules)}"
            kept.append(Finding(rule, module.path, span, message, severity, symbol))
    return kept


def _file_ignored(
    finding: Finding, config: Config, ignores: dict[str, tuple[GitIgnoreSpec, set[str]]]
) -> bool:
    if not ignores:
        return False
    try:
        relative = finding.path.relative_to(config.root).as_posix()
    except ValueError:
        return False
    return any(
        (finding.rule in rules or "all" in rules) and spec.match_file(relative)
        for spec, rules in ignores.values()
    )


def _matching(finding: Finding, index: WorkspaceIndex) -> Suppression | None:
    module = index.by_path.get(finding.path)
    if module is None or not module.summary.suppressions:
        return None
    lines = range(finding.span.line, finding.span.end_line + 1)
    for suppression in module.summary.suppressions:
        if suppression.line in lines and (
            not suppression.rules or finding.rule in suppression.rules
        ):
            return suppression
    return None


def _problem(
    suppression: Suppression, was_used: bool, active_rules: set[str]
) -> tuple[str, str] | None:
    unknown = [r for r in suppression.rules if r not in RULES]
    if unknown:
        return "invalid-suppression", f"unknown rule in `carve: ignore`: {', '.join(unknown)}"
    if not suppression.reason:
        return "invalid-suppression", "`carve: ignore` needs a reason after the rule list"
    checked = not suppression.rules or all(r in active_rules for r in suppression.rules)
    if not was_used and checked:
        listed = ", ".join(suppression.rules) or "all rules"
        return "unused-suppression", f"`carve: ignore[{listed}]` suppresses nothing here"
    return None
