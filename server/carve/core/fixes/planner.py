"""Quick fixes → change sets. One `FixPlanner` batches any number of fixes, so a
"fix all" rewrites each import statement once however many of its names move."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.findings import Finding
from carve.core.fixes.catalog import SUPPRESS, FixContext, QuickFix, quick_fixes
from carve.core.fixes.dunder_all import edit_dunder_all
from carve.core.fixes.imports import FixError, ImportEditor
from carve.core.fixes.suppress import removal_edit
from carve.core.fixes.text import Replacement, apply_replacements


@dataclass
class _FilePlan:
    path: Path
    text: str
    editor: ImportEditor
    all_add: list[str] = field(default_factory=list)
    all_remove: list[str] = field(default_factory=list)
    extra: list[Replacement] = field(default_factory=list)

    def render(self) -> tuple[str, tuple[tuple[int, int, str], ...]]:
        """The new text, and the replacements that give it."""
        replacements = self.replacements()
        try:
            new = apply_replacements(self.text, replacements)
        except ValueError as exc:
            raise FixError(f"{self.path.name}: conflicting fixes ({exc})") from None
        return new, tuple((r.start, r.end, r.text) for r in replacements)

    def replacements(self) -> list[Replacement]:
        replacements = [*self.editor.replacements(), *self.extra]
        if self.all_add or self.all_remove:
            edits = edit_dunder_all(self.text, self.all_add, self.all_remove)
            if edits is None:
                raise FixError(f"{self.path.name}: `__all__` is not a list this fix can edit")
            replacements.extend(edits)
        return replacements


class FixPlanner:
    def __init__(self, ctx: FixContext) -> None:
        self.ctx = ctx
        self._files: dict[Path, _FilePlan] = {}

    def add(self, finding: Finding, key: str) -> None:
        """Plan the fix `key` of `finding` (raises FixError when it does not apply)."""
        data = finding.data
        span = finding.span
        rule = finding.rule
        if rule in ("hub-bypass", "legacy-hub-import", "broken-reexport", "unresolved-import"):
            if key == "remove":
                self._remove_reexport(finding)
                return
            target = {"hub": data.get("hub"), "direct": data.get("target")}.get(key)
            if target is None and key.startswith("source:"):
                target = key.removeprefix("source:")
            if not isinstance(target, str) or not target:
                raise FixError(f"unknown fix {key!r} for {rule}")
            self._file(finding.path).editor.move(span.line, span.column, target)
        elif rule == "missing-reexport":
            self._add_reexport(finding)
        elif rule == "dunder-all-mismatch":
            name = str(data.get("name", ""))
            plan = self._file(finding.path)
            (plan.all_add if key == "add-all" else plan.all_remove).append(name)
        elif rule == "unused-suppression":
            plan = self._file(finding.path)
            edit = removal_edit(plan.text, span.line)
            if edit is None:
                raise FixError("no `carve: ignore` comment on that line any more")
            plan.extra.append(edit)
        else:
            raise FixError(f"no automatic fix for {rule}")

    def changeset(self, title: str, strict: bool = True) -> ChangeSet:
        """The planned edits; with strict=False a file whose fixes fail is skipped
        (and named in the warnings) instead of failing the whole set."""
        changes = ChangeSet(title)
        for plan in self._files.values():
            try:
                changes.add(plan.path, plan.text, *plan.render())
            except FixError as exc:
                if strict:
                    raise
                changes.warnings.append(str(exc))
        return changes

    def file_replacements(self) -> list[tuple[Path, str, list[Replacement]]]:
        """(path, text, replacements) per planned file, without rendering whole files."""
        return [(plan.path, plan.text, plan.replacements()) for plan in self._files.values()]

    # -- rules ---------------------------------------------------------------------------
    def _remove_reexport(self, finding: Finding) -> None:
        plan = self._file(finding.path)
        _statement, imported = plan.editor.locate(finding.span.line, finding.span.column)
        plan.editor.remove(finding.span.line, finding.span.column)
        dunder_all = plan.editor.module.summary.dunder_all or ()
        if imported.bound in dunder_all:
            plan.all_remove.append(imported.bound)

    def _add_reexport(self, finding: Finding) -> None:
        hub_name, source = finding.data.get("hub"), finding.data.get("source")
        name = str(finding.data.get("name", ""))
        hub = self.ctx.index.get(str(hub_name)) if hub_name else None
        if hub is None or not isinstance(source, str):
            raise FixError(f"the hub {hub_name} is not in the workspace")
        plan = self._file(hub.path)
        relative = any(s.level > 0 for s in hub.summary.imports) or not hub.summary.imports
        plan.editor.add(source, name, name, relative=relative)
        if hub.summary.dunder_all is not None and not hub.summary.all_dynamic:
            plan.all_add.append(name)

    def _file(self, path: Path) -> _FilePlan:
        plan = self._files.get(path)
        if plan is None:
            module = self.ctx.index.by_path.get(path)
            if module is None:
                raise FixError(f"{path} is not in the workspace index")
            text = self.ctx.read(path)
            lines = self.ctx.source_lines(path, text)
            editor = ImportEditor(text, module, self.ctx.index, lines, self.ctx.rewrites)
            plan = _FilePlan(path, text, editor)
            self._files[path] = plan
        return plan


def plan_unverified(fixes: Iterable[tuple[Finding, str]], ctx: FixContext, title: str) -> ChangeSet:
    """The edits of these fixes (finding, key) together, not verified: callers verify
    the combined result (raises FixError when a fix does not apply)."""
    planner = FixPlanner(ctx)
    for finding, key in fixes:
        planner.add(finding, key)
    return planner.changeset(title)


def plan_fix(finding: Finding, key: str, ctx: FixContext) -> ChangeSet:
    """The edits of one quick fix, verified: a fix that would break an import, close an
    import cycle or import a test module raises FixError saying so."""
    fix = next((f for f in quick_fixes(finding, ctx) if f.key == key), None)
    if fix is None:
        raise FixError(f"`{key}` is not a fix for this {finding.rule} finding")
    changes = plan_unverified([(finding, key)], ctx, fix.title)
    verdict = ctx.verifier.verify(changes)
    if not verdict.ok:
        raise FixError(f"not offered: the fix {verdict.reason()}")
    return changes


def offered_fixes(finding: Finding, ctx: FixContext) -> list[tuple[QuickFix, str | None]]:
    """A finding's quick fixes, each with why it is not offered (None: it is): the
    editor lists only fixes that pass verification, and can show the others disabled."""
    offered: list[tuple[QuickFix, str | None]] = []
    for fix in quick_fixes(finding, ctx):
        reason: str | None = None
        if fix.key != SUPPRESS:
            try:
                plan_fix(finding, fix.key, ctx)
            except (FixError, OSError, ValueError) as exc:
                reason = str(exc)
        offered.append((fix, reason))
    return offered


def edited_path(finding: Finding, ctx: FixContext) -> Path:
    """The file a finding's fix edits: the hub for a missing re-export, else its own."""
    if finding.rule == "missing-reexport":
        hub = ctx.index.get(str(finding.data.get("hub", "")))
        if hub is not None:
            return hub.path
    return finding.path
