"""`RewriteImports`: migrate importers of hubs' names, in batches, without breaking one.

`direct` points `from apps.billing.models import Invoice` at the defining module
(`apps.billing.invoice_models`); `via-hub` routes imports of a defining module back
through its hub. Each importer file is rewritten on its own with the move's machinery
(`StatementRewrite`, `AttributeRewrite`: aliases, multi-name lines, relative imports,
`if TYPE_CHECKING:`, function-level and `try:` imports, module objects), then the
files go through the `Verifier` together: a file whose edit would break an import or
close an import cycle is left out with the reason, and the rest verified again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path

import libcst as cst

from carve.core.baseline import relative_path
from carve.core.changeset import ChangeSet, FileChange
from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.edits.edit_set import EditSet, ReadText, read_from_disk
from carve.core.refactor.edits.project_style import ProjectStyle, load_project_style
from carve.core.refactor.imports.hub_exports import ExportTable
from carve.core.refactor.imports.hub_importers import HubImporters, ImporterPlan
from carve.core.refactor.imports.hub_targets import ImportsError, select_hubs
from carve.core.refactor.imports.importer_render import ImporterRender
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.request import MoveError
from carve.core.verify import Verifier

_MAX_ROUNDS = 8  # each round drops the files the last one blamed


class RewriteMode(str, enum.Enum):
    DIRECT = "direct"  # importers read names from their defining modules
    VIA_HUB = "via-hub"  # importers read names through the hub re-exporting them


@dataclass(frozen=True, slots=True)
class ImportsRequest:
    """Rewrite importers of the hubs `target` names (None: every hub); only importer
    files matching one of `paths` (globs or directories relative to the project root),
    at most `limit` of them."""

    mode: RewriteMode
    target: str | None = None
    paths: tuple[str, ...] = ()
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    path: Path
    reason: str


@dataclass
class ImportsOutcome:
    """What a plan did beyond its change set: files left out and why."""

    refused: list[Refusal] = field(default_factory=list)
    kept: dict[str, set[str]] = field(default_factory=dict)  # reason → importer modules
    pending: int = 0  # importer files left unplanned by `limit` (each may change)


class RewriteImports:
    def __init__(
        self,
        index: WorkspaceIndex,
        request: ImportsRequest,
        read_text: ReadText | None = None,
        verifier: Verifier | None = None,
    ) -> None:
        if request.limit is not None and request.limit < 1:
            raise ImportsError("--limit must be at least 1")
        self.index = index
        self.request = request
        self.read_text = read_text or read_from_disk
        self.verifier = verifier or Verifier(index, index.config)
        self.outcome = ImportsOutcome()
        self._rendered: dict[Path, FileChange] = {}
        self._warnings: dict[Path, list[str]] = {}

    @cached_property
    def style(self) -> ProjectStyle:
        return load_project_style(self.index.config.root)

    def plan(self) -> ChangeSet:
        hubs = select_hubs(self.index, self.request.target)
        direct = self.request.mode is RewriteMode.DIRECT
        importers = HubImporters(self.index, ExportTable(self.index, hubs), direct)
        plans = [
            found
            for module in sorted(self.index.modules(), key=lambda m: str(m.path))
            if self._selected(module) and (found := importers.plan(module))
        ]
        self.outcome.kept = importers.kept
        limit = self.request.limit
        if limit is None:
            accepted = self._verified(self._render(plans))
        else:
            accepted = self._batch(plans, limit)
        rendered, warnings = self._rendered, self._warnings
        changes = ChangeSet(self._title(hubs), [rendered[path] for path in accepted])
        for path in accepted:
            changes.warnings.extend(warnings.get(path, ()))
        changes.warnings.extend(
            f"{relative_path(r.path, self.index.config.root)}: left as it is: {r.reason}"
            for r in self.outcome.refused
        )
        changes.notes.extend(self._notes(changes))
        return changes

    def _selected(self, module: Module) -> bool:
        paths = self.request.paths
        return not paths or matches_any(module.path, self.index.config.root, paths)

    def _batch(self, plans: list[ImporterPlan], limit: int) -> list[Path]:
        """The first `limit` files that change and pass verification, planning no
        more files than needed (a batch of 20 in a large tree plans about 20)."""
        accepted: list[Path] = []
        queue = list(plans)
        while queue and len(accepted) < limit:
            taken, queue = queue[: limit - len(accepted)], queue[limit - len(accepted) :]
            accepted = self._verified([*accepted, *self._render(taken)])
        self.outcome.pending = len(queue)
        return accepted

    def _render(self, plans: list[ImporterPlan]) -> list[Path]:
        """Each file rewritten on its own (kept in `_rendered`); the paths that change.
        A file the rewrite fails on is refused with the reason."""
        if not plans:
            return []
        first = plans[0].module
        ctx = MoveContext(self.index, first, "", Path(), None, (), EditSet(self.read_text))
        ctx.__dict__["style"] = self.style  # one pyproject read for every file
        render = ImporterRender(ctx)
        changed = []
        for found in plans:
            path = found.module.path
            try:
                change, self._warnings[path] = render.render(found)
            except (MoveError, ValueError, AssertionError, cst.ParserSyntaxError) as exc:
                reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
                self.outcome.refused.append(Refusal(path, f"cannot rewrite it: {reason}"))
                continue
            if change is not None:
                self._rendered[path] = change
                changed.append(path)
        return changed

    def _verified(self, paths: list[Path]) -> list[Path]:
        """`paths` minus the files whose edits the verifier blames, round by round."""
        accepted = list(paths)
        for _round in range(_MAX_ROUNDS):
            verdict = self.verifier.verify(self._changes(accepted))
            if verdict.ok:
                return accepted
            reasons: dict[Path, str] = {}
            for problem in verdict.problems:
                for path in problem.culprits:
                    reasons.setdefault(path, problem.message)
            guilty = [p for p in accepted if p in reasons] or accepted
            for path in guilty:
                reason = reasons.get(path, verdict.problems[0].message)
                self.outcome.refused.append(Refusal(path, f"the rewrite {reason}"))
            accepted = [p for p in accepted if p not in set(guilty)]
        else:
            for path in accepted:
                self.outcome.refused.append(Refusal(path, "verification did not settle"))
            return []
        return accepted

    def _changes(self, paths: list[Path]) -> ChangeSet:
        changes = ChangeSet("carve imports")
        changes.changes = [self._rendered[path] for path in paths]
        return changes

    def _title(self, hubs: list[Module]) -> str:
        what = hubs[0].name if len(hubs) == 1 else f"{len(hubs)} hubs"
        if self.request.mode is RewriteMode.DIRECT:
            return f"Import names of {what} from their defining modules"
        return f"Import names through {what}"

    def _notes(self, changes: ChangeSet) -> list[str]:
        notes = []
        count = len(changes.changes)
        notes.append(f"{count} importer file{'s' if count != 1 else ''} rewritten")
        if self.outcome.pending:
            notes.append(
                f"up to {self.outcome.pending} more importer files beyond --limit "
                f"{self.request.limit}: run again"
            )
        for reason, modules in sorted(self.outcome.kept.items()):
            notes.append(f"kept {len(modules)} importer file(s) as they are: {reason}")
        return notes


def matches_any(path: Path, root: Path, patterns: tuple[str, ...] | list[str]) -> bool:
    """Whether `path` matches one of `patterns`: globs or directories, relative to `root`."""
    relative = relative_path(path, root)
    return any(_matches(relative, pattern) for pattern in patterns)


def _matches(relative: str, pattern: str) -> bool:
    pattern = pattern.removeprefix("./")
    if fnmatch(relative, pattern):
        return True
    directory = pattern.rstrip("/")
    return bool(directory) and relative.startswith(directory + "/")
