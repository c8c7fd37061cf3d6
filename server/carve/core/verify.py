"""Re-check a change set before it is offered: the workspace as it would be after the
edits, indexed in memory, must not gain a broken import, an import cycle (as imports run:
carve.core.tangles), or an import of a test module from code outside the tests.

Every planner's change set (a quick fix, fix-all, a move) passes through `Verifier` so no
planner grows its own ad-hoc safety check. A problem names the edited files that cause it
(`culprits`), so fix-all can drop just those fixes and verify the rest again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from carve.core.changeset import ChangeSet
from carve.core.config import Config
from carve.core.findings import Finding
from carve.core.graphs import strongly_connected
from carve.core.hub_detection import is_test_module
from carve.core.index import Module, WorkspaceIndex
from carve.core.overlay import overlay
from carve.core.rules.context import RuleContext
from carve.core.rules.cycles import Graph, shortest_cycle
from carve.core.rules.reexports import check_imports_resolve
from carve.core.summary import ModuleSummary
from carve.core.tangles import TangleReads, reachable_from
from carve.core.verify_scope import Edges, EditReach, Importers, LazyGraph, importers_by_module

_FindingKey = tuple[Path, str, str]


@dataclass(frozen=True, slots=True)
class Problem:
    """What an edit would break, and the edited files that break it."""

    path: Path
    line: int
    message: str
    culprits: frozenset[Path]
    # True when the edit fails on its own whatever else is applied with it (a new read
    # inside an old tangle): fix-all gives it no second chance.
    fails_alone: bool = False


@dataclass
class Verdict:
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def culprits(self) -> set[Path]:
        return {path for problem in self.problems for path in problem.culprits}

    def reason(self) -> str:
        """One line for a user: the first problem (and how many more)."""
        if not self.problems:
            return ""
        more = len(self.problems) - 1
        return self.problems[0].message + (f" (and {more} more)" if more else "")


@dataclass
class _Baseline:
    resolution: Counter[_FindingKey]  # import findings of the `resolved` modules
    resolved: set[Path]
    graph: LazyGraph
    importers: tuple[Importers, Importers, Importers]  # see importers_by_module
    # The tangle of every node in `settled` that sits in one (the others sit in none).
    tangles: dict[str, frozenset[str]] = field(default_factory=dict)
    settled: set[str] = field(default_factory=set)

    def in_one_tangle(self, nodes: set[str]) -> bool:
        """Whether `nodes` (not empty) all sat in one import tangle before the edit. A
        node's tangle lies within what it reaches: only that part of the graph is read,
        and every tangle found there is complete (kept for the next question)."""
        if not nodes <= self.settled:
            reached = reachable_from(self.graph, nodes, self.settled)
            for component in strongly_connected(self.graph, reached):
                tangle = frozenset(component)
                self.tangles.update(dict.fromkeys(component, tangle))
            self.settled |= reached
        found = self.tangles.get(next(iter(nodes)))
        return found is not None and nodes <= found


# Beyond this many culprit files in one tangle, the rest share one message (each chain
# costs a search through the tangle).
_CHAINS = 20


class Verifier:
    """Verifies change sets against one index snapshot (its findings computed once)."""

    def __init__(
        self,
        index: WorkspaceIndex,
        config: Config,
        summaries: dict[str, ModuleSummary] | None = None,
    ) -> None:
        self.index = index
        self.config = config
        self._baseline: _Baseline | None = None
        # New texts already summarised (by digest): fix-all verifies mostly the same texts
        # each round; a split passes those its steps summarised.
        self._summaries: dict[str, ModuleSummary] = {} if summaries is None else summaries
        self.jobs: int | None = 1  # the CLI sets None: parse many new texts in parallel
        # Moves set it: inside an old tangle, a new read is refused only when its target
        # imports the reader at module level (see TangleReads).
        self.eager_tangle_reads = False

    def verify(self, changes: ChangeSet) -> Verdict:
        if changes.is_empty():
            return Verdict()
        before = self._before()
        after = overlay(self.index, changes, self._summaries, self.jobs)
        edited = {change.path for change in changes.changes}
        reach = EditReach(self.index, after, edited, *before.importers)
        graph = reach.graph(before.graph)
        problems = [
            *self._broken_imports(before, after, reach),
            *self._new_cycles(before, after, graph, changes),
            *self._test_imports(after, edited),
        ]
        return Verdict(problems)

    # -- the three checks ------------------------------------------------------------
    def _before(self) -> _Baseline:
        if self._baseline is None:
            self._baseline = _Baseline(
                Counter(), set(), LazyGraph(self.index), importers_by_module(self.index)
            )
        return self._baseline

    def _resolution_before(self, before: _Baseline, only: set[Path]) -> Counter[_FindingKey]:
        """The baseline's findings in `only`, computed for the modules not asked before
        (fix-all verifies many change sets against one baseline)."""
        missing = {p for p in only - before.resolved if p in self.index.by_path}
        if missing:
            found = _resolution_findings(self.index, self.config, missing)
            before.resolution.update(_key(f) for f in found)
            before.resolved.update(missing)
        return Counter({k: n for k, n in before.resolution.items() if k[0] in only})

    def _broken_imports(
        self, before: _Baseline, after: WorkspaceIndex, reach: EditReach
    ) -> Iterable[Problem]:
        only = reach.affected()
        edited = reach.edited
        remaining = self._resolution_before(before, only)
        for finding in _resolution_findings(after, self.config, only):
            key = _key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                continue
            yield Problem(
                finding.path,
                finding.span.line,
                f"would break an import in {finding.path.name}:{finding.span.line}: "
                f"{finding.message}",
                _resolution_culprits(after, finding, edited),
            )

    def _new_cycles(
        self,
        before: _Baseline,
        after: WorkspaceIndex,
        graph: Mapping[str, Edges],
        changes: ChangeSet,
    ) -> Iterable[Problem]:
        edited_nodes = {c.path.as_posix() for c in changes.changes}
        created = {c.path.as_posix() for c in changes.changes if c.old_text is None}
        for component in strongly_connected(graph, reachable_from(graph, edited_nodes)):
            members = set(component)
            # A module carved out of a tangle (a move's new file) joins it: the tangle is
            # old when its other members already formed one.
            base = members - created
            old = bool(base) and before.in_one_tangle(base)
            # In a new tangle, an edited module with a new edge into it closes it. In an
            # old one the import order happens to work: a name newly read from a member
            # may not be bound yet when that member is only partly initialised (sympy:
            # `from sympy.core import ordered` while `sympy.core` is still importing).
            reads = TangleReads(
                self.index,
                after,
                members,
                created,
                edited_nodes - created,
                self.eager_tangle_reads,
            )
            culprits = sorted(n for n in members & edited_nodes if reads.new(Path(n)))
            if old and not culprits:
                continue
            what = (
                "read a new name inside the import cycle (a module in it may be only "
                "partly initialised)"
                if old
                else "close an import cycle"
            )
            for number, node in enumerate(culprits or sorted(members & edited_nodes)):
                if number < _CHAINS:
                    cycle = shortest_cycle(cast(Graph, graph), members, node)
                    chain = " → ".join(after.by_path[Path(n)].name for n in cycle)
                else:
                    chain = f"a tangle of {len(members)} modules"
                culprit = frozenset({Path(node)})
                yield Problem(Path(node), 1, f"would {what}: {chain}", culprit, fails_alone=old)

    def _test_imports(self, after: WorkspaceIndex, edited: set[Path]) -> Iterable[Problem]:
        for path in sorted(edited):
            new = after.by_path.get(path)
            if new is None or is_test_module(self.config, new):
                continue
            old = self.index.by_path.get(path)
            already = set(_imported_tests(self.index, old, self.config)) if old else set()
            for name, line in sorted(_imported_tests(after, new, self.config).items()):
                if name in already:
                    continue
                yield Problem(
                    path,
                    line,
                    f"would make {path.name}:{line} import the test module `{name}`",
                    frozenset({path}),
                )


def _resolution_findings(
    index: WorkspaceIndex, config: Config, only: set[Path] | None = None
) -> list[Finding]:
    return list(check_imports_resolve(RuleContext(index, config, only)))


def _key(finding: Finding) -> _FindingKey:
    """Line numbers move when an edit adds or removes lines: compare without them."""
    return (finding.path, finding.rule, finding.symbol)


def _resolution_culprits(
    after: WorkspaceIndex, finding: Finding, edited: set[Path]
) -> frozenset[Path]:
    """The edited files a broken import passes through: the importer itself, or the hubs
    and modules its resolution reads (a hub that lost a re-export)."""
    if finding.path in edited:
        return frozenset({finding.path})
    importer = after.by_path.get(finding.path)
    source, name = finding.data.get("source"), finding.data.get("name")
    names: list[str] = []
    if isinstance(source, str) and isinstance(name, str) and importer is not None:
        result = after.resolve(source, name, importer)
        names = [source, *result.via, result.module]
    elif isinstance(name, str):
        names = [name]
    found = {
        module.path
        for module_name in names
        if (module := after.get(module_name, importer)) is not None and module.path in edited
    }
    return frozenset(found or edited)


def _imported_tests(index: WorkspaceIndex, module: Module, config: Config) -> dict[str, int]:
    """Test modules `module` imports, each with the line of its first import."""
    found: dict[str, int] = {}
    for statement in module.summary.imports:
        for target in index.imported_modules(module, statement):
            if target is not module and is_test_module(config, target):
                found.setdefault(target.name, statement.line)
    return found
