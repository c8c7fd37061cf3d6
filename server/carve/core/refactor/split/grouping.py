"""Which top-level definitions of a module belong together: the grouping behind a split.

1. A small base or mixin of classes of two other stems (`TimestampMixin` of `Invoice` and
   `Customer`, a `Base = declarative_base()`) goes to the shared file, with what it needs
   at runtime; a long base, or one that needs much of the module, is the heart of a
   feature and stays with the rest.
2. A weighted graph over the other definitions: references (a base class, a
   `ForeignKey`, a `relationship("Other")` string, an annotation, a call), name stems
   (`Invoice`, `InvoiceLine`, `invoice_total` → invoice), kinds (`CharField`,
   `IntegerField`) and adjacency (a maintainer writes a feature's definitions together).
   Names bound by one statement, and a hook registered with a name (`@compiles(utcnow)`),
   are one item.
3. Clusters of greatest modularity (clustering.py): contiguous runs first, then runs
   linked more than chance join, then single items move, never into an import cycle.
   When the module's order says nothing (linked definitions are no nearer each other
   than chance), no adjacency and no runs: joins start from single items.
4. A class with a stem of its own that nothing ties to its group but its place is a
   feature of its own.
5. What the shared file needs from a group that imports the shared file is shared too,
   and groups that still need each other at runtime merge: the files' imports form no
   cycle.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from carve.core.refactor.edits.layout import bound_names
from carve.core.refactor.edits.naming import feature_of
from carve.core.refactor.edits.unit_graph import UnitGraph
from carve.core.refactor.split.clustering import Weights, cluster

SHARED = ""  # the feature key of the shared file

REFERENCE = 1.0  # a definition reads another
BASE = 1.0  # more when the reference is a base class
STEM = 1.0  # a definition's share of its stem family's links
FUNCTION_STEM = 2.0  # times that for a function or constant named after the family
KIND = 1.0  # a class's share of the links of its kind (`CharField`, `IntegerField`)
ADJACENT = 1.0  # consecutive definitions
GAMMA = 0.8  # modularity resolution: higher, smaller groups
LIGHT_BASE = 4  # at most this many other names follow a base into the shared file
ORDERED = 1.5  # how much nearer than chance linked definitions must be for runs to count
SMALL = 30  # lines: a longer base is the heart of a feature, not infrastructure


@dataclass
class Grouping:
    features: dict[str, list[str]] = field(default_factory=dict)  # feature → names
    shared: list[str] = field(default_factory=list)
    hub: list[str] = field(default_factory=list)


class FeatureGrouping:
    def __init__(self, graph: UnitGraph, component: str) -> None:
        self.graph = graph
        self.component = component
        self.names = [n for n in _in_order(graph) if not _is_dunder(n)]
        self.position = {n: i for i, n in enumerate(self.names)}
        self._bases: dict[str, list[str]] = {}
        self.ordered = True  # the module is written feature by feature (see _local)
        self.classes = [n for n in self.names if _is_class(graph, n)]
        self.class_names = set(self.classes)
        self._stems: dict[str, str] = {}
        self.refs = {n: self._references(n) for n in self.names}
        self.runtime = {n: graph.needed_by([n]) & set(self.position) for n in self.names}
        self.heirs: dict[str, list[str]] = {}  # name → the classes deriving from it
        for name in self.classes:
            for base in self.bases(name):
                self.heirs.setdefault(base, []).append(name)
        self.users: dict[str, set[str]] = {n: set() for n in self.names}
        for name, refs in self.refs.items():
            for other in refs:
                if other in self.users and other != name:
                    self.users[other].add(name)

    def run(self) -> Grouping:
        home: dict[str, str] = dict.fromkeys(self._light_bases(), SHARED)
        items = self._items([n for n in self.names if n not in home])
        weights = self._weights(items)
        item_of = {n: i for i, names in enumerate(items) for n in names}
        needs = [
            {item_of[need] for name in names for need in self.runtime[name] if need in item_of}
            for names in items
        ]
        clusters = cluster(len(items), weights, GAMMA, needs, self.ordered)
        for number, members in enumerate(clusters):
            for item in members:
                for name in items[item]:
                    home[name] = str(number)
        self._detach_strangers(home, items)
        self._share_light_bases(home)
        self._share_runtime_needs(home)
        self._merge_cycles(home)
        return self._result(home)

    # -- the graph -------------------------------------------------------------------
    def _items(self, names: list[str]) -> list[list[str]]:
        """Names that move as one, in source order: one statement's names, a hook and
        the name it registers with."""
        parent = {n: n for n in names}

        def root(name: str) -> str:
            while parent[name] != name:
                parent[name] = parent[parent[name]]
                name = parent[name]
            return name

        def join(a: str, b: str) -> None:
            ra, rb = root(a), root(b)
            if ra != rb:
                first, second = sorted((ra, rb), key=self.position.__getitem__)
                parent[second] = first

        for unit in self.graph.layout.units:
            owners = [n for n in self.graph.owners(unit) if n in parent]
            for other in owners[1:]:
                join(owners[0], other)
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(root(name), []).append(name)
        return sorted(groups.values(), key=lambda g: self.position[g[0]])

    def _weights(self, items: list[list[str]]) -> Weights:
        item_of = {n: i for i, names in enumerate(items) for n in names}
        weights: Weights = {}

        def add(a: str, b: str, weight: float) -> None:
            i, j = item_of[a], item_of[b]
            if i != j:
                key = (min(i, j), max(i, j))
                weights[key] = weights.get(key, 0.0) + weight

        for name in item_of:
            bases = set(self.bases(name))
            for other in self.refs[name]:
                if other in item_of:
                    add(name, other, REFERENCE + (BASE if other in bases else 0.0))
        families: dict[str, list[str]] = {}
        stems = {self._stem(n) for n in self.classes}
        for name in item_of:
            stem = self._stem(name) if name in self.class_names else _first_word(name)
            if stem in stems:
                families.setdefault(stem, []).append(name)
        for members in families.values():
            for index, name in enumerate(members):
                for other in members[index + 1 :]:
                    both = name in self.class_names and other in self.class_names
                    add(name, other, (1.0 if both else FUNCTION_STEM) * STEM / (len(members) - 1))
        kinds: dict[str, list[str]] = {}
        for name in self.classes:
            words = _words(name)
            if name in item_of and len(words) > 1:
                kinds.setdefault(words[-1], []).append(name)
        for members in kinds.values():
            for index, name in enumerate(members):
                for other in members[index + 1 :]:
                    add(name, other, KIND / (len(members) - 1))
        self.ordered = _local(weights, len(items)) >= ORDERED
        if self.ordered:
            for i in range(len(items) - 1):
                weights[(i, i + 1)] = weights.get((i, i + 1), 0.0) + ADJACENT
        return weights

    def _detach_strangers(self, home: dict[str, str], items: list[list[str]]) -> None:
        """A class of a stem and kind of its own that only its place ties to its group
        is a feature of its own: `Payment` written after `Customer`, or after `Invoice`
        and `InvoiceLine` whose feature it reads but which never read it."""
        members: dict[str, list[str]] = {}
        for member, feature in home.items():
            members.setdefault(feature, []).append(member)
        for names in items:
            name = names[0]
            if len(names) > 1 or name not in self.class_names:
                continue
            group = [n for n in members[home[name]] if n != name]
            if not group:
                continue
            stems = {self._stem(n) for n in group} | {_first_word(n) for n in group}
            kinds = {_words(n)[-1] for n in group if n in self.class_names}
            family = {self._stem(n) for n in group if n in self.class_names}
            named = len([n for n in group if n in self.class_names]) > 1 and len(family) == 1
            related = any(name in self.refs[n] for n in group) or bool(
                set(self.bases(name)) & set(group)
            )
            if not named:
                related = related or any(n in self.refs[name] for n in group)
            if self._stem(name) in stems or _words(name)[-1] in kinds or related:
                continue
            members[home[name]].remove(name)
            home[name] = f"{name}#"

    # -- shared file and cycles ------------------------------------------------------
    def _light_bases(self) -> set[str]:
        """Small bases and mixins of classes of two stems, none their own (`TimestampMixin`
        of `Invoice` and `Customer`, not `SingleObjectMixin` of `SingleObjectTemplate…`
        and `BaseDetailView`), with what they need when that is little: the shared file's.
        Heirs of the base's kind (`CharField(Field)`) do not count."""
        shared: set[str] = set()
        for name in self.names:
            heirs = {self._stem(c) for c in self.heirs.get(name, []) if not _same_kind(c, name)}
            if len(heirs) < 2 or self._stem(name) in heirs or self._lines(name) > SMALL:
                continue
            follow = self.graph.closure([name]) & set(self.position)
            if len(follow - shared) <= LIGHT_BASE + 1:
                shared |= follow
        return shared

    def _share_light_bases(self, home: dict[str, str]) -> None:
        """A class that classes of two other groups derive from (`TimestampMixin`, an
        abstract `SoftDeleteModel`) is infrastructure: shared, with what it needs, when
        that is little."""
        for name in self.classes:
            heirs = {home[c] for c in self.heirs.get(name, [])} - {home[name]}
            if len(heirs) < 2 or home[name] == SHARED:
                continue
            needs = self.graph.closure([name]) & set(self.position)
            follow = {n for n in needs if home.get(n) != SHARED} - {name}
            if len(follow) <= LIGHT_BASE:
                for moved in follow | {name}:
                    home[moved] = SHARED

    def _lines(self, name: str) -> int:
        return sum(u.last_line - u.first_line + 1 for u in self.graph.units_of([name]))

    def bases(self, name: str) -> list[str]:
        found = self._bases.get(name)
        if found is None:
            found = self._bases[name] = []
            for unit in self.graph.binders.get(name, []):
                if isinstance(unit.node, ast.ClassDef):
                    found += [b.id for b in unit.node.bases if isinstance(b, ast.Name)]
        return found

    def _share_runtime_needs(self, home: dict[str, str]) -> None:
        """What a shared name needs from a group that needs the shared file is shared:
        else the two files would import each other."""
        changed = True
        while changed:
            changed = False
            edges = self._edges(home)
            reaching = {f for f in set(home.values()) if SHARED in _reachable(edges, f)}
            for name in [n for n, f in home.items() if f == SHARED]:
                for need in self.runtime[name]:
                    if home.get(need) in reaching:
                        home[need] = SHARED
                        changed = True

    def _merge_cycles(self, home: dict[str, str]) -> None:
        """Groups that need each other at runtime become one (the first one's)."""
        while True:
            cycle = _a_cycle(self._edges(home))
            if not cycle:
                return
            keep = SHARED if SHARED in cycle else min(cycle, key=lambda f: self._first(f, home))
            for name, feature in home.items():
                if feature in cycle:
                    home[name] = keep

    def _edges(self, home: dict[str, str]) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = {}
        for name, feature in home.items():
            for need in self.runtime[name]:
                other = home.get(need)
                if other is not None and other != feature:
                    edges.setdefault(feature, set()).add(other)
        return edges

    # -- facts -----------------------------------------------------------------------
    def _references(self, name: str) -> set[str]:
        """Names of the module that `name`'s statements read, annotate with or name in
        a string (`relationship("Invoice")`, `ForeignKey("billing.Invoice")`)."""
        found: set[str] = set()
        for unit in self.graph.units_of([name]):
            needs = self.graph.needs(unit)
            found |= needs.runtime | needs.type_only
            for node in ast.walk(unit.node):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    target = node.value.rpartition(".")[2]
                    if target in self.graph.binders and target != name:
                        found.add(target)
        return found - {name}

    def stem_of(self, name: str) -> str:
        return self._stem(name)

    def _stem(self, name: str) -> str:
        """The feature word: the first of the name's, past `Base`/`Abstract`."""
        found = self._stems.get(name)
        if found is None:
            feature = feature_of(name, self.component)
            words = [w for w in feature.split("_") if w]
            while len(words) > 1 and words[0] in _PREFIXES:
                words = words[1:]
            found = self._stems[name] = words[0] if words else feature
        return found

    def _first(self, feature: str, home: dict[str, str]) -> int:
        return min((self.position[n] for n, f in home.items() if f == feature), default=0)

    def _result(self, home: dict[str, str]) -> Grouping:
        result = Grouping()
        members: dict[str, list[str]] = {}
        for name in self.names:
            feature = home.get(name)
            if feature is None:
                result.hub.append(name)
            elif feature == SHARED:
                result.shared.append(name)
            else:
                members.setdefault(feature, []).append(name)
        for names in sorted(members.values(), key=lambda m: self.position[m[0]]):
            result.features[self._name(names, result.features)] = names
        return result

    def _name(self, names: list[str], taken: dict[str, list[str]]) -> str:
        """A group is named after the base most of its classes derive from (`LazyObject`,
        gathered by `SimpleLazyObject`: `lazy`), else its most common stem."""
        classes = [n for n in names if n in self.class_names]
        inside = Counter(b for n in classes for b in self.bases(n) if b in names)
        candidates = [self._stem(b) for b, _ in inside.most_common()]
        weight: dict[str, float] = {}  # its classes, and what they read of the group
        for name in classes:
            stem = self._stem(name)
            weight[stem] = (
                weight.get(stem, 0.0) + 1 + len(self.refs[name] & set(names)) / len(names)
            )
        candidates += sorted(weight, key=lambda s: -weight[s])
        candidates += [_first_word(n) for n in names]
        for candidate in candidates:
            if candidate and candidate not in taken and candidate not in _PREFIXES:
                return candidate
        base = candidates[0] if candidates and candidates[0] else "feature"
        number = 2
        while f"{base}{number}" in taken:
            number += 1
        return f"{base}{number}"


_PREFIXES = {"base", "abstract"}
_KIND_NOISE = {"base", "abstract", "mixin"}


def _same_kind(name: str, base: str) -> bool:
    """`CharBlock(FieldBlock)`, `JsonResponse(HttpResponseBase)`: the subclass's last
    word is its base's (past `Base`/`Mixin`), so it is one more of that kind."""
    kind = [w for w in feature_of(base, "").split("_") if w and w not in _KIND_NOISE]
    words = [w for w in feature_of(name, "").split("_") if w]
    return bool(kind) and len(words) > 1 and words[-1] == kind[-1]


def _local(weights: Weights, count: int, window: int = 3) -> float:
    """How much more of the links join definitions at most `window` apart than chance
    would: about 1 when the module's order says nothing, 3 to 7 when it was written
    feature by feature."""
    pairs = count * (count - 1) / 2
    near = sum(count - d for d in range(1, window + 1) if d < count)
    total = sum(weights.values())
    if not near or not total:
        return 1.0
    linked = sum(w for (i, j), w in weights.items() if j - i <= window)
    return (linked / total) / (near / pairs)


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in feature_of(name, "").split("_") if w)


def _first_word(name: str) -> str:
    words = _words(name)
    return words[0] if words else ""


def _in_order(graph: UnitGraph) -> list[str]:
    seen: dict[str, None] = {}
    for unit in graph.layout.units:
        for name in bound_names(unit.node):
            if name in graph.binders:
                seen.setdefault(name)
    return list(seen)


def _is_class(graph: UnitGraph, name: str) -> bool:
    return any(isinstance(u.node, ast.ClassDef) for u in graph.binders.get(name, []))


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(edges.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return seen


def _a_cycle(edges: dict[str, set[str]]) -> list[str]:
    """The features of one cycle of `edges`, or []."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target) :]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(edges):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return []
