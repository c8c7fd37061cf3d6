"""Fixes as data for reports: the unambiguous fix of each finding, as text edits
(`carve check --format json` shows them; `carve check --fix` applies them all)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from carve.core.config import Config
from carve.core.findings import Finding, Fix, Span, TextEdit
from carve.core.fixes.catalog import FixContext, auto_fix
from carve.core.fixes.fix_all import verified_fix_all
from carve.core.fixes.imports import FixError
from carve.core.fixes.planner import FixPlanner
from carve.core.fixes.text import Replacement, SourceLines, apply_replacements
from carve.core.index import WorkspaceIndex
from carve.core.textdiff import diff_replacements


def attach_fixes(
    findings: list[Finding],
    index: WorkspaceIndex,
    config: Config,
    read: Callable[[Path], str],
    jobs: int | None = 1,
) -> list[Finding]:
    """Each finding's unambiguous fix, when it survives fix-all's verification (a fix that
    would break an import or close a cycle is never offered, alone or combined). `jobs`:
    processes the verifier parses the fixed files with (None: one per CPU)."""
    ctx = FixContext(index, config, _read_once(read))
    ctx.verifier.jobs = jobs
    # Each accepted fix's edits alone: already verified together with the others.
    safe = {id(f) for f in verified_fix_all(findings, ctx).accepted}
    result = []
    for finding in findings:
        fix = auto_fix(finding, ctx) if id(finding) in safe else None
        if fix is not None:
            try:
                edits = _planned_edits(finding, fix.key, ctx)
            except (FixError, OSError, ValueError):
                edits = ()
            if edits:
                finding = replace(finding, fix=Fix(fix.title, edits))
        result.append(finding)
    return result


def _read_once(read: Callable[[Path], str]) -> Callable[[Path], str]:
    """Every fix of a file reads the same text: decode it once."""
    return functools.cache(read)


def _planned_edits(finding: Finding, key: str, ctx: FixContext) -> tuple[TextEdit, ...]:
    """One fix's text edits, diffed over the lines its replacements touch only: the same
    edits as diffing whole files (the lines around are equal in both), without
    rendering and splitting the file again for every finding."""
    planner = FixPlanner(ctx)
    planner.add(finding, key)
    edits: list[TextEdit] = []
    for path, text, replacements in planner.file_replacements():
        if not replacements:
            continue
        lines = ctx.source_lines(path, text)
        first = lines.line_of(min(r.start for r in replacements))
        last = lines.line_of(max(r.end for r in replacements))
        start, end = lines.line_start(first), lines.next_line_start(last)
        shifted = [Replacement(r.start - start, r.end - start, r.text) for r in replacements]
        try:
            new = apply_replacements(text[start:end], shifted)
        except ValueError as exc:
            raise FixError(f"{path.name}: conflicting fixes ({exc})") from None
        for item in diff_replacements(text[start:end], new):
            edits.append(_text_edit(path, lines, start + item.start, start + item.end, item.text))
    return tuple(edits)


def _text_edit(path: Path, lines: SourceLines, start: int, end: int, text: str) -> TextEdit:
    start_line, end_line = lines.line_of(start), lines.line_of(end)
    span = Span(
        start_line, start - lines.line_start(start_line), end_line, end - lines.line_start(end_line)
    )
    return TextEdit(path, span, text)
