"""Which top-level definitions of a module belong together: the grouping behind a split.

1. Classes group by feature: the first word of the name without its component suffix
   (`Invoice`, `InvoiceLine`, `InvoiceSequence` in models.py → `invoice`).
2. A class alone in its feature that one other feature's classes name (a base, a
   `ForeignKey`, a `relationship("Other")` string, an annotation) joins that feature.
3. Everything else follows its users: needed by one feature → there; by several →
   the shared file; by none → the feature its name or its own reads point to, else the
   hub keeps it.
4. What the shared file needs at runtime is shared too, and features that need each
   other at runtime merge: the files' imports form no cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from carve.core.refactor.edits.layout import bound_names
from carve.core.refactor.edits.naming import feature_of
from carve.core.refactor.edits.unit_graph import UnitGraph

SHARED = ""  # the feature key of the shared file


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
        self.classes = [n for n in self.names if _is_class(graph, n)]
        self.refs = {n: self._references(n) for n in self.names}
        self.runtime = {n: graph.needed_by([n]) for n in self.names}
        self.users: dict[str, set[str]] = {n: set() for n in self.names}
        for name, refs in self.refs.items():
            for other in refs:
                if other in self.users and other != name:
                    self.users[other].add(name)

    def run(self) -> Grouping:
        home: dict[str, str] = {n: self._stem(n) for n in self.classes}
        self._join_families(home)
        self._adopt_singletons(home)
        self._share_bases(home)
        self._place_the_rest(home)
        self._share_runtime_needs(home)
        self._follow_registrations(home)
        self._keep_statements_whole(home)
        self._merge_cycles(home)
        return self._result(home)

    # -- steps -----------------------------------------------------------------------
    def _join_families(self, home: dict[str, str]) -> None:
        """A subclass named after its kind joins its base's feature: `MD5PasswordHasher`
        and `BasePasswordHasher`, `CharBlock` and `FieldBlock` (libraries group by kind)."""
        for name in self.classes:
            for base in self.bases(name):
                if base in home and _same_kind(name, base):
                    home[name] = home[base]
                    break

    def _adopt_singletons(self, home: dict[str, str]) -> None:
        """`Address`, named only by `Customer`'s feature, lives with it."""
        for name in self.classes:
            members = [n for n in home if home[n] == home[name]]
            if len(members) != 1:
                continue
            features = {home[u] for u in self.users[name] if u in home} - {home[name]}
            if len(features) == 1:
                home[name] = features.pop()

    def _share_bases(self, home: dict[str, str]) -> None:
        """A class that classes of two other features derive from (`TimestampMixin`, an
        abstract `SoftDeleteModel`) is infrastructure: shared (what it needs follows)."""
        for name in self.classes:
            heirs = {home[c] for c in self.classes if name in self.bases(c)} - {home[name]}
            if len(heirs) >= 2:
                home[name] = SHARED

    def bases(self, name: str) -> list[str]:
        found = []
        for unit in self.graph.binders.get(name, []):
            if isinstance(unit.node, ast.ClassDef):
                found += [b.id for b in unit.node.bases if isinstance(b, ast.Name)]
        return found

    def _place_the_rest(self, home: dict[str, str]) -> None:
        """Non-class names, in passes until nothing moves: a helper's users may be
        placed only once another helper is."""
        stems = set(home.values())
        pending = [n for n in self.names if n not in home]
        while pending:
            placed = False
            for name in list(pending):
                feature = self._feature_of_user(name, home, stems)
                if feature is not None:
                    home[name] = feature
                    pending.remove(name)
                    placed = True
            if not placed:
                break

    def _feature_of_user(self, name: str, home: dict[str, str], stems: set[str]) -> str | None:
        features = {home[u] for u in self.users[name] if u in home}
        if len(features) > 1:
            return SHARED
        if features:
            return features.pop()
        if any(u not in home for u in self.users[name]):
            return None  # wait for its users
        words = [w for w in _words(name) if w in stems]
        if words:
            return words[0]
        reads = {home[r] for r in self.refs[name] if r in home}
        return reads.pop() if len(reads) == 1 else None

    def _share_runtime_needs(self, home: dict[str, str]) -> None:
        """A class alone in its feature that two other features need at runtime (a base,
        a mixin) is shared; what a shared name needs is shared; what a file needs from
        the hub goes to that file (the hub imports the files, never the reverse)."""
        changed = True
        while changed:
            changed = False
            for name in self.classes:
                feature = home[name]
                if feature == SHARED or sum(f == feature for f in home.values()) > 1:
                    continue
                needing = {home.get(u) for u in self.users[name] if name in self._runtime(u)}
                if len(needing - {feature, None}) >= 2:
                    home[name] = SHARED
                    changed = True
            for name in self.names:
                placed = home.get(name)
                if placed is None:
                    continue
                for need in self._runtime(name):
                    if need not in self.users:
                        continue
                    if placed == SHARED and home.get(need) != SHARED:
                        home[need] = SHARED
                        changed = True
                    elif home.get(need) is None:
                        home[need] = placed
                        changed = True

    def _follow_registrations(self, home: dict[str, str]) -> None:
        """A hook registered with a name (`@compiles(utcnow)`) goes where it goes: a
        move takes it along."""
        for target, units in self.graph.mutators.items():
            for unit in units:
                for name in self.graph.owners(unit) - {target}:
                    if name in self.users:
                        if target in home:
                            home[name] = home[target]
                        else:
                            home.pop(name, None)

    def _keep_statements_whole(self, home: dict[str, str]) -> None:
        """`INVOICE_LIMIT, CUSTOMER_LIMIT = 10, 20` moves as one: its names go where the
        first placed one goes."""
        for unit in self.graph.layout.units:
            names = [n for n in bound_names(unit.node) if n in self.users]
            placed = [home[n] for n in names if n in home]
            if len(names) > 1 and placed:
                for name in names:
                    home[name] = placed[0]

    def _merge_cycles(self, home: dict[str, str]) -> None:
        """Features that need each other at runtime become one (the first one's)."""
        while True:
            edges: dict[str, set[str]] = {}
            for name, feature in home.items():
                for need in self._runtime(name):
                    other = home.get(need)
                    if other is not None and other != feature:
                        edges.setdefault(feature, set()).add(other)
            cycle = _a_cycle(edges)
            if not cycle:
                return
            keep = min(cycle, key=lambda f: self._first_position(f, home))
            for name, feature in home.items():
                if feature in cycle:
                    home[name] = keep

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

    def _runtime(self, name: str) -> set[str]:
        return self.runtime.get(name, set())

    def stem_of(self, name: str) -> str:
        return self._stem(name)

    def _stem(self, name: str) -> str:
        """The feature word: the first of the name's, past `Base`/`Abstract`."""
        feature = feature_of(name, self.component)
        words = [w for w in feature.split("_") if w]
        while len(words) > 1 and words[0] in _PREFIXES:
            words = words[1:]
        return words[0] if words else feature

    def _first_position(self, feature: str, home: dict[str, str]) -> int:
        positions = [
            self.names.index(n) for n, f in home.items() if f == feature and n in self.names
        ]
        return min(positions, default=len(self.names))

    def _result(self, home: dict[str, str]) -> Grouping:
        result = Grouping()
        for name in self.names:
            feature = home.get(name)
            if feature is None:
                result.hub.append(name)
            elif feature == SHARED:
                result.shared.append(name)
            else:
                result.features.setdefault(feature, []).append(name)
        return _named_by_base(result, self)


def _named_by_base(grouping: Grouping, planner: FeatureGrouping) -> Grouping:
    """A feature whose classes derive from one of its own is named after that base
    (`LazyObject`, gathered by `SimpleLazyObject`: `lazy`)."""
    renamed: dict[str, list[str]] = {}
    for feature, names in grouping.features.items():
        bases = [b for n in names if n in planner.classes for b in planner.bases(n) if b in names]
        name = planner.stem_of(bases[0]) if bases else feature
        renamed.setdefault(name if name not in renamed else feature, []).extend(names)
    grouping.features = renamed
    return grouping


_PREFIXES = {"base", "abstract"}
_KIND_NOISE = {"base", "abstract", "mixin"}


def _same_kind(name: str, base: str) -> bool:
    """`CharBlock(FieldBlock)`, `JsonResponse(HttpResponseBase)`: the subclass's last
    word is its base's (past `Base`/`Mixin`), so it is one more of that kind."""
    kind = [w for w in feature_of(base, "").split("_") if w and w not in _KIND_NOISE]
    words = [w for w in feature_of(name, "").split("_") if w]
    return bool(kind) and len(words) > 1 and words[-1] == kind[-1]


def _in_order(graph: UnitGraph) -> list[str]:
    seen: dict[str, None] = {}
    for unit in graph.layout.units:
        for name in graph.owners(unit):
            if name in graph.binders:
                seen.setdefault(name)
    return list(seen)


def _is_class(graph: UnitGraph, name: str) -> bool:
    return any(isinstance(u.node, ast.ClassDef) for u in graph.binders.get(name, []))


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _words(name: str) -> list[str]:
    return [w for w in feature_of(name, "").split("_") if w]


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
