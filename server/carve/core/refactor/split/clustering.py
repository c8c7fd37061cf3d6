"""Clusters of a module's definitions, from a weighted graph over them kept in source order.

Modularity (Newman) with a resolution `gamma`: a cluster is worth its internal weight
minus what a random graph with the same degrees would put inside it. Two passes:

1. Runs: the best split of the definitions, in source order, into contiguous runs (exact,
   by dynamic programming): a maintainer writes a feature's definitions together.
2. Joins: runs that are linked more than chance (a helper at the end of the module named
   after a model at the top) merge, greedily, best gain first, while the gain is positive
   and the merge entangles no more items in import cycles (`needs`: item → the items it
   needs at runtime) than there were: two runs that a third needs and that need it stay
   apart.
3. Moves: an item whose links pull it into another cluster moves there (a helper written
   between two features, closer to the one before it), on the same conditions.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from carve.core.graphs import strongly_connected

Weights = dict[tuple[int, int], float]  # (i, j) with i < j → weight


@dataclass(frozen=True)
class _Graph:
    """The weighted links every pass reads: each item's neighbours and degree, the total
    weight, the modularity resolution, and what each item needs at runtime."""

    neighbours: list[dict[int, float]]
    degree: list[float]
    total: float
    gamma: float
    needs: Sequence[set[int]]


def cluster(
    count: int,
    weights: Weights,
    gamma: float,
    needs: Sequence[set[int]] = (),
    ordered: bool = True,
) -> list[list[int]]:
    """Clusters of the items 0..count-1 (in order, each cluster's items ascending);
    not `ordered`: the order means nothing, no runs."""
    if count == 0:
        return []
    neighbours: list[dict[int, float]] = [{} for _ in range(count)]
    for (i, j), weight in weights.items():
        if i != j and weight > 0:
            neighbours[i][j] = neighbours[i].get(j, 0.0) + weight
            neighbours[j][i] = neighbours[j].get(i, 0.0) + weight
    degree = [sum(n.values()) for n in neighbours]
    total = sum(degree) / 2
    if total <= 0:
        return [[i] for i in range(count)]
    graph = _Graph(neighbours, degree, total, gamma, needs)
    runs = _runs(count, graph) if ordered else [[item] for item in range(count)]
    joined = _joined(runs, graph)
    return _refined(joined, graph)


def _runs(count: int, graph: _Graph) -> list[list[int]]:
    """The contiguous runs of greatest modularity."""
    neighbours, degree, total, gamma = graph.neighbours, graph.degree, graph.total, graph.gamma
    best = [0.0] * (count + 1)
    start_of = [0] * (count + 1)
    prefix = [0.0]
    for d in degree:
        prefix.append(prefix[-1] + d)
    scale = 1 / (2 * total)
    # The links of each item to later ones, by position, with running sums.
    later = [sorted(j for j in links if j > item) for item, links in enumerate(neighbours)]
    sums = [
        list(accumulate((neighbours[i][j] for j in js), initial=0.0)) for i, js in enumerate(later)
    ]
    for end in range(1, count + 1):
        # The weight inside the run start..end-1, grown leftwards from end-1.
        inner = 0.0
        best_value, best_start = float("-inf"), end - 1
        for start in range(end - 1, -1, -1):
            inner += sums[start][bisect_left(later[start], end)]
            run_degree = (prefix[end] - prefix[start]) * scale
            value = best[start] + inner / total - gamma * run_degree * run_degree
            if value > best_value:
                best_value, best_start = value, start
        best[end], start_of[end] = best_value, best_start
    runs: list[list[int]] = []
    end = count
    while end > 0:
        start = start_of[end]
        runs.append(list(range(start, end)))
        end = start
    return runs[::-1]


def _joined(runs: list[list[int]], graph: _Graph) -> list[list[int]]:
    """Runs merged while a merge raises modularity, the best first."""
    neighbours, degree, total, gamma = graph.neighbours, graph.degree, graph.total, graph.gamma
    needs = graph.needs
    label = {item: number for number, run in enumerate(runs) for item in run}
    clusters = {number: list(run) for number, run in enumerate(runs)}
    sums = {number: sum(degree[i] for i in run) for number, run in enumerate(runs)}
    links: dict[tuple[int, int], float] = {}
    for item, others in enumerate(neighbours):
        for other, weight in others.items():
            a, b = label[item], label[other]
            if a < b:
                links[(a, b)] = links.get((a, b), 0.0) + weight
    tangled = _tangled(clusters, label, needs)
    while True:
        gains = sorted(
            (
                (weight / total - 2 * gamma * sums[a] * sums[b] / (2 * total) ** 2, a, b)
                for (a, b), weight in links.items()
            ),
            reverse=True,
        )
        chosen = None
        for gain, keep, gone in gains:
            if gain <= 0:
                break
            trial = {item: (keep if c == gone else c) for item, c in label.items()}
            after = _tangled(clusters, trial, needs)
            if after <= tangled:
                chosen, label, tangled = (keep, gone), trial, after
                break
        if chosen is None:
            break
        keep, gone = chosen
        clusters[keep] += clusters.pop(gone)
        sums[keep] += sums.pop(gone)
        merged: dict[tuple[int, int], float] = {}
        for (a, b), weight in links.items():
            a, b = (keep if a == gone else a), (keep if b == gone else b)
            if a != b:
                key = (min(a, b), max(a, b))
                merged[key] = merged.get(key, 0.0) + weight
        links = merged
    return sorted((sorted(c) for c in clusters.values()), key=lambda c: c[0])


def _tangled(
    clusters: dict[int, list[int]], label: dict[int, int], needs: Sequence[set[int]]
) -> int:
    """How many items lie in clusters that are on an import cycle."""
    edges: dict[int, set[int]] = {}
    for item, targets in enumerate(needs):
        for target in targets:
            a, b = label[item], label[target]
            if a != b:
                edges.setdefault(a, set()).add(b)
    size = Counter(label.values())
    return sum(size[c] for component in strongly_connected(edges) for c in component)


def _refined(clusters: list[list[int]], graph: _Graph) -> list[list[int]]:
    """Single items moved to the cluster that gains most, until none gains."""
    neighbours, degree, total, gamma = graph.neighbours, graph.degree, graph.total, graph.gamma
    needs = graph.needs
    label = {item: number for number, members in enumerate(clusters) for item in members}
    sums: defaultdict[int, float] = defaultdict(float)
    for item, number in label.items():
        sums[number] += degree[item]
    tangled = _tangled({}, label, needs)
    for _ in range(_PASSES):
        moved = False
        for item in range(len(degree)):
            own = label[item]
            links: defaultdict[int, float] = defaultdict(float)
            for other, weight in neighbours[item].items():
                links[label[other]] += weight
            scale = gamma * degree[item] / (2 * total * total)
            stay = links[own] / total - scale * (sums[own] - degree[item])
            options = []
            for target, weight in links.items():
                gain = weight / total - scale * sums[target] - stay
                if target != own and gain > 1e-12:
                    options.append((gain, target))
            for _gain, target in sorted(options, reverse=True):
                trial = dict(label)
                trial[item] = target
                after = _tangled({}, trial, needs)
                if after <= tangled:
                    label, tangled = trial, after
                    sums[own] -= degree[item]
                    sums[target] += degree[item]
                    moved = True
                    break
        if not moved:
            break
    grouped: dict[int, list[int]] = {}
    for item in range(len(degree)):
        grouped.setdefault(label[item], []).append(item)
    return sorted(grouped.values(), key=lambda c: c[0])


_PASSES = 8
