"""Fix-all: every unambiguous fix planned together, and the combined result verified.

A fix that looks local can break imports far away (rerouting one import through a
package `__init__` can close a circular import), so the whole set is re-checked in
memory. Files whose edits cause a problem are dropped and the rest verified again; then
each dropped fix gets a second chance on its own, on top of what was accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.findings import Finding
from carve.core.fixes.catalog import FixContext, QuickFix, auto_fix
from carve.core.fixes.imports import FixError
from carve.core.fixes.planner import FixPlanner, edited_path
from carve.core.verify import Verdict

TITLE = "Fix all carve issues"
# Each round drops the culprit files of the last; real trees settle in two or three.
_MAX_ROUNDS = 8
# Second chances cost one verification each (~0.1 s on Django): bounded.
_SECOND_CHANCES = 64


@dataclass(frozen=True, slots=True)
class _Candidate:
    finding: Finding
    fix: QuickFix
    path: Path  # the file the fix edits


@dataclass
class FixAllResult:
    changes: ChangeSet
    accepted: list[Finding] = field(default_factory=list)
    # Findings whose fix was dropped, each with why (shown by `carve check --fix`).
    refused: list[tuple[Finding, str]] = field(default_factory=list)


def plan_fix_all(
    findings: Iterable[Finding], ctx: FixContext, only: Path | None = None
) -> ChangeSet:
    """Every unambiguous fix at once; `only`: edit that file alone (fix-all on save).
    Fixes that fail verification are left out and named in the warnings."""
    return verified_fix_all(findings, ctx, only).changes


def verified_fix_all(
    findings: Iterable[Finding], ctx: FixContext, only: Path | None = None
) -> FixAllResult:
    candidates: list[_Candidate] = []
    for finding in findings:
        fix = auto_fix(finding, ctx)
        if fix is None or (only is not None and (finding.path != only or fix.edits_other_file)):
            continue
        candidates.append(_Candidate(finding, fix, edited_path(finding, ctx)))
    plans = _FilePlans(ctx)
    accepted = [c for c in candidates if plans.plannable(c)]
    refused: dict[int, str] = {id(c): reason for c, reason in plans.errors}
    dropped: list[_Candidate] = []
    for _round in range(_MAX_ROUNDS):
        verdict = ctx.verifier.verify(plans.changeset(accepted))
        if verdict.ok:
            break
        culprits = verdict.culprits()
        guilty = [c for c in accepted if c.path in culprits] or accepted
        for candidate in guilty:
            refused[id(candidate)] = _reason(verdict, candidate.path)
        dropped.extend(guilty)
        accepted = [c for c in accepted if c not in guilty]
    else:
        dropped.extend(accepted)
        accepted = []
    for candidate in dropped[:_SECOND_CHANCES]:
        trial = [*accepted, candidate]
        if ctx.verifier.verify(plans.changeset(trial)).ok:
            accepted = trial
            refused.pop(id(candidate), None)
    changes = plans.changeset(accepted)
    for candidate in accepted:
        failure = plans.failures.get(candidate.path)
        if failure is not None:
            refused[id(candidate)] = failure
    accepted = [c for c in accepted if c.path not in plans.failures]
    result = FixAllResult(changes, [c.finding for c in accepted])
    for candidate in candidates:
        reason = refused.get(id(candidate))
        if reason is not None:
            result.refused.append((candidate.finding, reason))
            where = f"{_display(candidate.finding.path, ctx)}:{candidate.finding.span.line}"
            changes.warnings.append(f"{where}: {candidate.finding.rule}: {reason}")
    return result


def _display(path: Path, ctx: FixContext) -> str:
    try:
        return path.relative_to(ctx.config.root).as_posix()
    except ValueError:
        return path.as_posix()


def _reason(verdict: Verdict, path: Path) -> str:
    for problem in verdict.problems:
        if path in problem.culprits:
            return f"the fix {problem.message}"
    return f"the fix {verdict.reason()}"


class _FilePlans:
    """Renders each edited file from the candidates touching it, memoised by the exact
    set of candidates: a verification round re-renders only the files that changed."""

    def __init__(self, ctx: FixContext) -> None:
        self.ctx = ctx
        self.errors: list[tuple[_Candidate, str]] = []
        self.failures: dict[Path, str] = {}  # files whose fixes conflict with each other
        self._rendered: dict[tuple[Path, tuple[int, ...]], tuple[str | None, str | None]] = {}

    def plannable(self, candidate: _Candidate) -> bool:
        """Plans the candidate alone once, so a fix that cannot apply is reported up front."""
        try:
            planner = FixPlanner(self.ctx)
            planner.add(candidate.finding, candidate.fix.key)
            planner.changeset(TITLE)
        except (FixError, OSError, ValueError) as exc:
            self.errors.append((candidate, str(exc)))
            return False
        return True

    def changeset(self, candidates: list[_Candidate]) -> ChangeSet:
        by_path: dict[Path, list[_Candidate]] = {}
        for candidate in candidates:
            by_path.setdefault(candidate.path, []).append(candidate)
        changes = ChangeSet(TITLE)
        for path, group in sorted(by_path.items()):
            old, new = self._render(path, group)
            if old is not None and new is not None:
                changes.add(path, old, new)
        return changes

    def _render(self, path: Path, group: list[_Candidate]) -> tuple[str | None, str | None]:
        key = (path, tuple(sorted(id(c) for c in group)))
        cached = self._rendered.get(key)
        if cached is None:
            planner = FixPlanner(self.ctx)
            try:
                for candidate in group:
                    planner.add(candidate.finding, candidate.fix.key)
                change = planner.changeset(TITLE).changes
            except (FixError, OSError, ValueError) as exc:
                self.failures[path] = str(exc)  # fixes that conflict: leave the file as is
                change = []
            cached = (change[0].old_text, change[0].new_text) if change else (None, None)
            self._rendered[key] = cached
        return cached
