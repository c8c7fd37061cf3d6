"""Fixes as data for reports: the unambiguous fix of each finding, as text edits
(`carve check --format json` shows them; `carve check --fix` applies them all)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.config import Config
from carve.core.findings import Finding, Fix, Span, TextEdit
from carve.core.fixes.catalog import FixContext, auto_fix
from carve.core.fixes.fix_all import verified_fix_all
from carve.core.fixes.imports import FixError
from carve.core.fixes.planner import plan_unverified
from carve.core.fixes.text import SourceLines
from carve.core.index import WorkspaceIndex
from carve.core.textdiff import diff_replacements


def attach_fixes(
    findings: list[Finding], index: WorkspaceIndex, config: Config, read: Callable[[Path], str]
) -> list[Finding]:
    """Each finding's unambiguous fix, when it survives fix-all's verification (a fix that
    would break an import or close a cycle is never offered, alone or combined)."""
    ctx = FixContext(index, config, read)
    # Each accepted fix's edits alone: already verified together with the others.
    safe = {id(f) for f in verified_fix_all(findings, ctx).accepted}
    result = []
    for finding in findings:
        fix = auto_fix(finding, ctx) if id(finding) in safe else None
        if fix is not None:
            try:
                edits = text_edits(plan_unverified([(finding, fix.key)], ctx, fix.title))
            except (FixError, OSError, ValueError):
                edits = ()
            if edits:
                finding = replace(finding, fix=Fix(fix.title, edits))
        result.append(finding)
    return result


def text_edits(changes: ChangeSet) -> tuple[TextEdit, ...]:
    edits: list[TextEdit] = []
    for change in changes.changes:
        old = change.old_text or ""
        lines = SourceLines(old)
        for item in diff_replacements(old, change.new_text):
            start_line, end_line = lines.line_of(item.start), lines.line_of(item.end)
            span = Span(
                start_line,
                item.start - lines.line_start(start_line),
                end_line,
                item.end - lines.line_start(end_line),
            )
            edits.append(TextEdit(change.path, span, item.text))
    return tuple(edits)
