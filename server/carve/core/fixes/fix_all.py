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

from carve.core.changeset import ChangeSet, FileChange
from carve.core.findings import Finding
from carve.core.fixes.catalog import FixContext, QuickFix, auto_fix
from carve.core.fixes.imports import FixError
from carve.core.fixes.planner import edited_path, plan_unverified
from carve.core.verify import Problem, Verdict

TITLE = "Fix all carve issues"
# Each round drops the culprit files of the last; real trees settle in two or three.
_MAX_ROUNDS = 8
# Second chances cost one verification each (~0.1 s on Django): bounded.
_SECOND_CHANCES = 16


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
    accepted = plans.plannable(candidates)
    refused: dict[int, str] = {id(c): reason for c, reason in plans.errors}
    dropped: list[_Candidate] = []
    hopeless: set[int] = set()  # refused for a problem they cause on their own
    for _round in range(_MAX_ROUNDS):
        verdict = ctx.verifier.verify(plans.changeset(accepted))
        if verdict.ok:
            break
        culprits = verdict.culprits()
        guilty = [c for c in accepted if c.path in culprits] or accepted
        reasons = _reasons(verdict)
        for candidate in guilty:
            problem = reasons.get(candidate.path)
            refused[id(candidate)] = f"the fix {(problem or verdict.problems[0]).message}"
            if problem is not None and problem.fails_alone:
                hopeless.add(id(candidate))
        dropped.extend(guilty)
        out = {id(c) for c in guilty}
        accepted = [c for c in accepted if id(c) not in out]
    else:
        dropped.extend(accepted)
        accepted = []
    retry = [c for c in dropped if id(c) not in hopeless]
    for candidate in retry[:_SECOND_CHANCES]:
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


def _reasons(verdict: Verdict) -> dict[Path, Problem]:
    """Each culprit file's first problem, the reason its fixes were left out."""
    reasons: dict[Path, Problem] = {}
    for problem in verdict.problems:
        for path in problem.culprits:
            reasons.setdefault(path, problem)
    return reasons


class _FilePlans:
    """Renders each edited file from the candidates touching it, memoised by the exact
    set of candidates: a verification round re-renders only the files that changed."""

    def __init__(self, ctx: FixContext) -> None:
        self.ctx = ctx
        self.errors: list[tuple[_Candidate, str]] = []
        self.failures: dict[Path, str] = {}  # files whose fixes conflict with each other
        self._rendered: dict[tuple[Path, tuple[int, ...]], FileChange | str] = {}

    def plannable(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """The candidates that plan cleanly. Each file is planned with all its fixes at
        once; only a file that fails is planned fix by fix to find the ones to report."""
        good: set[int] = set()
        for path, group in _by_path(candidates).items():
            if not isinstance(self._render(path, group), str):
                good.update(id(c) for c in group)
                continue
            for candidate in group:
                alone = self._render(path, [candidate])
                if isinstance(alone, str):
                    self.errors.append((candidate, alone))
                else:
                    good.add(id(candidate))
        return [c for c in candidates if id(c) in good]

    def changeset(self, candidates: list[_Candidate]) -> ChangeSet:
        changes = ChangeSet(TITLE)
        for path, group in sorted(_by_path(candidates).items()):
            rendered = self._render(path, group)
            if isinstance(rendered, str):
                self.failures[path] = rendered  # fixes that conflict: leave the file as is
            elif rendered.old_text != rendered.new_text:
                changes.changes.append(rendered)  # one per path already
        return changes

    def _render(self, path: Path, group: list[_Candidate]) -> FileChange | str:
        """(old, new) text of `path` with the group's fixes, or why they do not apply."""
        key = (path, tuple(sorted(id(c) for c in group)))
        cached = self._rendered.get(key)
        if cached is None:
            fixes = [(candidate.finding, candidate.fix.key) for candidate in group]
            try:
                change = plan_unverified(fixes, self.ctx, TITLE).changes
            except (FixError, OSError, ValueError) as exc:
                cached = str(exc)
            else:
                cached = change[0] if change else FileChange(path, "", "")
            self._rendered[key] = cached
        return cached


def _by_path(candidates: list[_Candidate]) -> dict[Path, list[_Candidate]]:
    by_path: dict[Path, list[_Candidate]] = {}
    for candidate in candidates:
        by_path.setdefault(candidate.path, []).append(candidate)
    return by_path
