"""import-cycle: strongly connected components of the module-level import graph."""

from __future__ import annotations

import itertools
import weakref
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from carve.core.findings import Finding
from carve.core.graphs import strongly_connected
from carve.core.index import Module, WorkspaceIndex
from carve.core.module_set import ModuleSet
from carve.core.rules.context import RuleContext, statement_span
from carve.core.summary import Import, ImportContext

# Nodes are module paths (two import roots may both hold `apps.billing`):
# module → imported module → first statement importing it.
Graph = dict[str, dict[str, Import]]


def import_graph(index: WorkspaceIndex, runtime: bool = False) -> Graph:
    """Edges that run at import time (TYPE_CHECKING and function-level imports excluded).
    `runtime`: every import that can run, as the fix verifier must assume: function-level
    imports too (a function may run while modules are still initialising) and the
    packages Python initialises first (`import a.b.c` runs `a` and `a.b`). The rule
    reports the module-level edges written in the code."""
    return {
        module.path.as_posix(): module_edges(index, module, runtime) for module in index.modules()
    }


def module_edges(index: WorkspaceIndex, module: Module, runtime: bool = False) -> dict[str, Import]:
    """One module's import-time edges: imported module path → first statement."""
    edges: dict[str, Import] = {}
    for statement in module.summary.imports:
        if not runs(statement, runtime):
            continue
        for target in index.imported_modules(module, statement):
            if target is not module:
                edges.setdefault(target.path.as_posix(), statement)
            for package in implicit_parents(index, module, target) if runtime else ():
                edges.setdefault(package.path.as_posix(), statement)
    return edges


def runs(statement: Import, runtime: bool) -> bool:
    """Whether an import runs at import time (or, with `runtime`, can run at all)."""
    if statement.context is ImportContext.MODULE:
        return True
    return runtime and statement.context is ImportContext.LAZY


def implicit_parents(index: WorkspaceIndex, module: Module, target: Module) -> list[Module]:
    """Packages importing `target` initialises first, except `module`'s own ancestors
    (already in `sys.modules` while `module` runs, so never a partial-init hazard)."""
    found: list[Module] = []
    parts = target.name.split(".")
    for depth in range(1, len(parts)):
        package = ".".join(parts[:depth])
        if module.name == package or module.name.startswith(package + "."):
            continue
        parent = index.get(package, module)
        if parent is not None:
            found.append(parent)
    return found


def shortest_cycle(graph: Graph, members: set[str], start: str | None = None) -> list[str]:
    """A shortest cycle start → … → start inside `members` (start: the smallest node)."""
    start = min(members) if start is None else start
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.get(node, {})):
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return [*reversed(path), start]
            if child not in parents:
                parents[child] = node
                queue.append(child)
    return [start, start]


def best_cut(
    graph: Graph,
    members: set[str],
    cycle: list[str],
    protected: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[str, str]:
    """The cycle edge whose removal leaves the smallest remaining tangle; ties go to the
    edge carrying the fewest imported names (the cheapest import to move). `protected`
    edges (a hub's own re-exports: its public API) are cut only when nothing else is."""
    best: tuple[bool, int, int, str, str] | None = None
    for source, target in itertools.pairwise(cycle):
        pruned = {
            k: {t: s for t, s in v.items() if (k, t) != (source, target)}
            for k, v in graph.items()
            if k in members
        }
        remaining = max((len(c) for c in strongly_connected(pruned, members)), default=0)
        weight = len(graph[source][target].names)
        candidate = ((source, target) in protected, remaining, weight, source, target)
        if best is None or candidate < best:
            best = candidate
    assert best is not None
    return best[3], best[4]


def hub_reexport_edges(
    index: WorkspaceIndex, graph: Graph, members: set[str]
) -> frozenset[tuple[str, str]]:
    """Edges inside `members` whose statement only re-exports names from a hub: moving
    it under TYPE_CHECKING would break the hub's public API, so a caller's edge is cut."""
    edges: set[tuple[str, str]] = set()
    for source in members:
        module = index.by_path[Path(source)]
        if not index.is_hub(module):
            continue
        reexports = index.reexports(module)
        for target, statement in graph.get(source, {}).items():
            if target in members and all(
                n.name == "*"
                or (
                    (binding := reexports.get(n.bound)) is not None
                    and binding.statement is statement
                )
                for n in statement.names
            ):
                edges.add((source, target))
    return frozenset(edges)


@dataclass(frozen=True)
class Tangle:
    """One strongly connected component and the import the rule suggests cutting."""

    members: frozenset[str]
    cycle: list[str]  # a shortest cycle, from the smallest member
    cut: tuple[str, str]


@dataclass(frozen=True)
class CycleFacts:
    modules: ModuleSet  # the modules `graph` was built over
    graph: Graph
    tangles: list[Tangle]
    complete: bool = True  # False: restored tangles; `graph` holds the edges asked for


# A tangle as `.carve_cache/` keeps it: plain tuples, so loading a stored result needs
# no rule module: (members, cycle, cut), module paths in posix form.
StoredTangle = tuple[tuple[str, ...], tuple[str, ...], tuple[str, str]]


def restore_cycle_facts(index: WorkspaceIndex, stored: list[StoredTangle]) -> None:
    """Tangles a stored check found, for an index over the same import graph (every
    file changed since kept its interface, so every import edge is the same): the
    edges of a reported cut are read from its module on demand."""
    tangles = [Tangle(frozenset(members), list(cycle), cut) for members, cycle, cut in stored]
    facts = CycleFacts(index.module_set, _EdgesOnDemand(index), tangles, complete=False)
    index.facts[FACT] = facts


def known_tangles(index: WorkspaceIndex) -> list[StoredTangle] | None:
    """The tangles a check of `index` found, if it ran the cycle rule."""
    facts = index.facts.get(FACT)
    if not isinstance(facts, CycleFacts):
        return None
    return [(tuple(sorted(t.members)), tuple(t.cycle), t.cut) for t in facts.tangles]


class _EdgesOnDemand(dict[str, dict[str, Import]]):
    def __init__(self, index: WorkspaceIndex) -> None:
        super().__init__()
        self._index = weakref.ref(index)  # the facts live on the index

    def __missing__(self, node: str) -> dict[str, Import]:
        index = self._index()
        assert index is not None, "restored cycle facts outlived their index"
        edges = self[node] = module_edges(index, index.by_path[Path(node)])
        return edges


FACT = "import-cycles"


def cycle_facts(index: WorkspaceIndex) -> CycleFacts:
    """The module-level import graph and its tangles, kept with the index; an index
    that replaced another after an edit updates the edited modules' edges instead of
    rebuilding the graph, and reuses every tangle the edit cannot change."""
    facts = index.facts.get(FACT)
    if isinstance(facts, CycleFacts):
        return facts
    inherited = index.inherited.pop(FACT, None)
    facts = None
    if inherited is not None and isinstance(inherited[0], CycleFacts):
        facts = _updated(index, inherited[0], inherited[1])
    if facts is None:
        graph = import_graph(index)
        facts = CycleFacts(index.module_set, graph, _tangles(index, graph, [], set()))
    index.facts[FACT] = facts
    return facts


def _updated(
    index: WorkspaceIndex, previous: CycleFacts, edited: frozenset[Path]
) -> CycleFacts | None:
    """`previous` after `edited` files changed, or None when modules came or went (a
    new module changes what every import statement may reach)."""
    if index.module_set is not previous.modules or not previous.complete:
        return None
    graph = dict(previous.graph)
    rewired = False
    for path in edited:
        node = path.as_posix()
        edges = module_edges(index, index.by_path[path])
        rewired = rewired or edges.keys() != graph[node].keys()
        graph[node] = edges
    touched = {path.as_posix() for path in edited}
    if not rewired:  # same components: re-judge only those holding an edited module
        tangles = [
            _tangle(index, graph, t.members) if t.members & touched else t for t in previous.tangles
        ]
        return CycleFacts(previous.modules, graph, tangles)
    return CycleFacts(previous.modules, graph, _tangles(index, graph, previous.tangles, touched))


def _tangles(
    index: WorkspaceIndex, graph: Graph, known: list[Tangle], touched: set[str]
) -> list[Tangle]:
    """Every component of `graph`, reusing `known` ones no edited module belongs to."""
    reusable = {t.members: t for t in known if not t.members & touched}
    found = []
    for component in strongly_connected(graph):
        members = frozenset(component)
        tangle = reusable.get(members)
        found.append(tangle if tangle is not None else _tangle(index, graph, members))
    return found


def _tangle(index: WorkspaceIndex, graph: Graph, members: frozenset[str]) -> Tangle:
    cycle = shortest_cycle(graph, set(members))
    protected = hub_reexport_edges(index, graph, set(members))
    return Tangle(members, cycle, best_cut(graph, set(members), cycle, protected))


def check_cycles(ctx: RuleContext) -> Iterator[Finding]:
    index = ctx.index
    facts = cycle_facts(index)

    def name(node: str) -> str:
        return index.by_path[Path(node)].name

    for tangle in facts.tangles:
        source, target = tangle.cut
        module = index.by_path[Path(source)]
        if ctx.only is not None and module.path not in ctx.only:
            continue
        statement = facts.graph[source][target]
        chain = " → ".join(name(node) for node in tangle.cycle)
        size = len(tangle.members)
        extra = f" ({size} modules in the tangle)" if size > len(tangle.cycle) - 1 else ""
        yield ctx.finding(
            "import-cycle",
            module,
            statement_span(statement),
            f"import cycle: {chain}{extra}; best cut: `{name(source)}` → `{name(target)}` "
            "(move this import under TYPE_CHECKING or into the function that needs it)",
            symbol=" -> ".join(sorted(name(node) for node in tangle.members)),
            cycle=[name(node) for node in tangle.cycle],
            cut=[name(source), name(target)],
        )
