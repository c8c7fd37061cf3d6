"""Helpers for quick-fix tests: build a fixture project, plan a fix, write it, re-check."""

from __future__ import annotations

from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.check import CheckOptions, run_checks
from carve.core.config import load_config
from carve.core.findings import Finding
from carve.core.fixes import FixContext, plan_fix, plan_fix_all
from carve.core.project import Project


def context(root: Path) -> tuple[list[Finding], FixContext]:
    config = load_config(root)
    index = Project(config, use_cache=False).build()
    findings = run_checks(index, config, CheckOptions()).findings
    return findings, FixContext(index, config, lambda p: p.read_text(encoding="utf-8"))


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, [(f.rule, f.message) for f in findings]
    return matching[0]


def write(changes: ChangeSet) -> None:
    for change in changes.changes:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        change.path.write_text(change.new_text, encoding="utf-8")


def fix(root: Path, rule: str, key: str) -> list[Finding]:
    """Apply fix `key` of the single `rule` finding; the findings afterwards."""
    findings, ctx = context(root)
    write(plan_fix(only(findings, rule), key, ctx))
    return context(root)[0]


def fix_all(root: Path, only_path: Path | None = None) -> tuple[ChangeSet, list[Finding]]:
    findings, ctx = context(root)
    changes = plan_fix_all(findings, ctx, only_path)
    write(changes)
    return changes, context(root)[0]


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")
