"""Graph algorithms the rules and the refactors share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

Node = TypeVar("Node", str, int)  # module paths (the import graph), items (the split)


def strongly_connected(
    graph: Mapping[Node, Iterable[Node]], nodes: set[Node] | None = None
) -> list[list[Node]]:
    """The components of more than one node (each sorted), by Tarjan's algorithm,
    iterative (deep graphs must not hit the recursion limit); `nodes`: only these."""
    nodes = set(graph) if nodes is None else nodes
    order: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    components: list[list[Node]] = []
    counter = 0
    for start in sorted(nodes):
        if start in order:
            continue
        work = [(start, iter(sorted(t for t in graph.get(start, ()) if t in nodes)))]
        order[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in order:
                    order[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(t for t in graph.get(child, ()) if t in nodes)))
                    )
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], order[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components
