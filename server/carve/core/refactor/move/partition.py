"""Which of the source's other names a move takes along and which it extracts.

The source re-exports the moved code, so it imports the destination; the destination
must never import the source back. Every name of the source the moved code needs, at
runtime and transitively, therefore leaves the source:

- *along*: needed only by the moved code: it moves with it;
- *extracted*: needed by the moved code and by code that stays: it goes to a shared
  module that both import (`base_models.py`), with everything it needs in turn.

No layout is cycle-free when an extracted name itself needs the moved code (a staying
class with `relationship(SourcePrice)` that the moved `SourcePrice` uses in turn): the
shared module would import the destination, which imports the shared module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carve.core.refactor.edits.unit_graph import Read, UnitGraph


@dataclass(frozen=True, slots=True)
class Entanglement:
    """The two runs of reads that no layout can cut: moved code → `shared` → moved."""

    shared: str
    outward: list[Read]  # from the moved code to `shared`
    back: list[Read]  # from `shared` back to the moved code


@dataclass
class Partition:
    along: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    unbound: list[str] = field(default_factory=list)  # needed, but bound in an if/try block
    entangled: list[Entanglement] = field(default_factory=list)


def partition_move(graph: UnitGraph, moved: set[str]) -> Partition:
    """Split what `moved` needs into names taken along and names extracted."""
    needed = graph.closure(moved) - moved
    moving = {u.position for u in graph.units_of(moved | needed)}
    staying: set[str] = set()
    for unit in graph.body():
        if unit.position not in moving:
            staying |= graph.needs(unit).runtime
    staying = graph.closure(staying, stop=frozenset(moved))
    shared = needed & staying
    result = Partition(
        along=sorted(needed - shared - graph.copies),
        extracted=sorted(shared),
        unbound=sorted(n for n in needed if n not in graph.binders),
    )
    for name in result.extracted:
        back = graph.chain([name], _first_moved(graph, name, moved))
        if back:
            outward = graph.chain(sorted(moved), name)
            result.entangled.append(Entanglement(name, outward, back))
    return result


def _first_moved(graph: UnitGraph, name: str, moved: set[str]) -> str:
    """A moved name `name` reaches, or "" when none."""
    reached = graph.closure([name]) & moved
    return min(reached, default="")
