"""Which quick fixes a finding offers: cheap to list (no source text read), so the
editor can show them on every cursor move; `planner` computes the edits on demand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.config import Config, ImportPolicy
from carve.core.findings import Finding
from carve.core.fixes.imports import Rewrites
from carve.core.fixes.text import SourceLines
from carve.core.index import WorkspaceIndex
from carve.core.rules.context import RuleContext, within
from carve.core.verify import Verifier

# Findings that a `# carve: ignore` comment cannot or should not silence.
UNSUPPRESSIBLE = frozenset({"invalid-suppression", "unused-suppression", "stale-baseline"})
SUPPRESS = "suppress"


@dataclass(frozen=True, slots=True)
class QuickFix:
    key: str  # stable among one finding's fixes: "hub", "source:apps.x", "remove", …
    title: str
    preferred: bool = False
    auto: bool = False  # unambiguous and safe: part of "fix all"
    edits_other_file: bool = False


@dataclass
class FixContext:
    """What planners read: the index, the configuration, and current file texts
    (unsaved buffers included) through `read`."""

    index: WorkspaceIndex
    config: Config
    read: Callable[[Path], str]
    _rules: RuleContext | None = field(default=None, repr=False)
    _verifier: Verifier | None = field(default=None, repr=False)
    _lines: dict[Path, SourceLines] = field(default_factory=dict, repr=False)
    # Import statements already rewritten by LibCST (see ImportEditor).
    rewrites: Rewrites = field(default_factory=dict, repr=False)

    def source_lines(self, path: Path, text: str) -> SourceLines:
        """`text`'s line table, built once per file: planning one fix per finding (a JSON
        report) would otherwise index the same file's line starts once per finding."""
        lines = self._lines.get(path)
        if lines is None or lines.text != text:
            lines = self._lines[path] = SourceLines(text)
        return lines

    @property
    def rules(self) -> RuleContext:
        if self._rules is None:
            self._rules = RuleContext(self.index, self.config)
        return self._rules

    @property
    def verifier(self) -> Verifier:
        """Re-checks planned edits in memory; its baseline is computed once per context."""
        if self._verifier is None:
            self._verifier = Verifier(self.index, self.config)
        return self._verifier


def quick_fixes(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    """The fixes for `finding`, best first; the suppression comment is always last."""
    builder = _BUILDERS.get(finding.rule)
    fixes = builder(finding, ctx) if builder is not None else []
    if finding.rule not in UNSUPPRESSIBLE:
        fixes.append(QuickFix(SUPPRESS, f"Suppress `{finding.rule}` with `# carve: ignore`"))
    return fixes


def auto_fix(finding: Finding, ctx: FixContext) -> QuickFix | None:
    builder = _BUILDERS.get(finding.rule)
    fixes = builder(finding, ctx) if builder is not None else []
    return next((f for f in fixes if f.auto), None)


def _text(finding: Finding, key: str) -> str:
    value = finding.data.get(key)
    return value if isinstance(value, str) else ""


def _strings(finding: Finding, key: str) -> list[str]:
    value = finding.data.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _hub_bypass(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    name, hub = _text(finding, "name"), _text(finding, "hub")
    return [QuickFix("hub", f"Import `{name}` from the hub `{hub}`", True, True)]


def _legacy(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    name, target = _text(finding, "name"), _text(finding, "target")
    return [QuickFix("direct", f"Import `{name}` from `{target}`", True, True)]


def _broken_reexport(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    name = _text(finding, "name")
    module = ctx.index.by_path.get(finding.path)
    near = module.name if module else ""
    candidates = sorted(_strings(finding, "candidates"), key=lambda c: -_shared(c, near))
    fixes = [
        QuickFix(f"source:{c}", f"Re-export `{name}` from `{c}`", i == 0, len(candidates) == 1)
        for i, c in enumerate(candidates)
    ]
    fixes.append(QuickFix("remove", f"Remove the broken re-export of `{name}`", not candidates))
    return fixes


def _missing_reexport(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    name, hub = _text(finding, "name"), _text(finding, "hub")
    hub_module = ctx.index.get(hub) if hub else None
    if hub_module is not None and (
        name in hub_module.summary.definitions or name in ctx.index.bindings(hub_module)
    ):
        return []  # the hub already binds the name (a broken re-export's fix repoints it)
    title = f"Re-export `{name}` from the hub `{hub}`"
    return [QuickFix("reexport", title, True, True, edits_other_file=True)]


def _dunder_all(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    name = _text(finding, "name")
    if finding.data.get("kind") == "missing":
        return [QuickFix("add-all", f"Add `{name}` to `__all__`", True, True)]
    return [QuickFix("remove-all", f"Remove `{name}` from `__all__`", True, True)]


def _unresolved(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    name = _text(finding, "name")
    if not _text(finding, "source") or name == "*":
        return []  # `import a.b` that does not exist: nothing to point it at
    sources = import_sources(finding, ctx)
    return [
        QuickFix(f"source:{s}", f"Import `{name}` from `{s}`", len(sources) == 1, len(sources) == 1)
        for s in sources
    ]


def _unused_suppression(finding: Finding, ctx: FixContext) -> list[QuickFix]:
    return [QuickFix("remove-suppression", "Remove the unused `carve: ignore`", True, True)]


def import_sources(finding: Finding, ctx: FixContext) -> list[str]:
    """Where an unresolved name can be imported from: its defining modules, each
    replaced by the hub that re-exports it when the import policy says so."""
    name = _text(finding, "name")
    importer = ctx.index.by_path.get(finding.path)
    near = importer.name if importer else ""
    sources: list[str] = []
    for candidate in _strings(finding, "candidates"):
        source = candidate
        defining = ctx.index.get(candidate, importer)
        for hub, _via in ctx.rules.reexporters(defining, name) if defining else ():
            inside = importer is not None and within(importer.name, ctx.index.hub_package(hub))
            if not inside and ctx.config.policy_for(hub.name) is ImportPolicy.VIA_HUB:
                source = hub.name
            break
        if source not in sources:
            sources.append(source)
    return sorted(sources, key=lambda s: -_shared(s, near))


def _shared(a: str, b: str) -> int:
    """How many leading package parts two module names share."""
    count = 0
    for left, right in zip(a.split("."), b.split("."), strict=False):
        if left != right:
            break
        count += 1
    return count


_BUILDERS: dict[str, Callable[[Finding, FixContext], list[QuickFix]]] = {
    "hub-bypass": _hub_bypass,
    "legacy-hub-import": _legacy,
    "broken-reexport": _broken_reexport,
    "missing-reexport": _missing_reexport,
    "dunder-all-mismatch": _dunder_all,
    "unresolved-import": _unresolved,
    "unused-suppression": _unused_suppression,
}
