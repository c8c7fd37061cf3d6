"""The top-level statements of one module and which of the module's own names each
needs: the graph a move (and a split) partitions.

A name's *units* are the statements that bind it plus the statements that mutate it at
module level (`_js_escapes.update(...)`, `Model.attr = ...`, `for z in …: table[z] = …`):
they run once, right after the binding, and must travel with it or the moved object
loses state. `logger = getLogger(__name__)` is *copyable*: every module has its own, so
reading it is no dependency.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from carve.core.refactor.edits.freenames import gather_free_names
from carve.core.refactor.edits.layout import ModuleLayout, Unit, bound_names, is_docstring
from carve.core.refactor.edits.names import gather_name_uses

# A statement's names by its text: a split (moves in a row) re-reads the same module, and
# an editor lists move actions on it again and again.
_RAW_NEEDS: dict[tuple[str, bool], tuple[frozenset[str], frozenset[str]]] = {}
_RAW_NEEDS_KEPT = 50_000


@dataclass(frozen=True, slots=True)
class UnitNeeds:
    runtime: frozenset[str]  # module names the statement reads or writes when it runs
    type_only: frozenset[str]  # module names it reads only in unevaluated annotations


@dataclass(frozen=True, slots=True)
class Read:
    """`reader` needs `name`: the statement reading it starts at `line`."""

    reader: str
    name: str
    line: int


class UnitGraph:
    def __init__(self, layout: ModuleLayout, defined: Iterable[str], deferred: bool) -> None:
        self.layout = layout
        self.deferred = deferred  # annotations are never evaluated (PEP 563/649)
        self.binders: dict[str, list[Unit]] = {}
        for unit in layout.units:
            for name in bound_names(unit.node):
                self.binders.setdefault(name, []).append(unit)
        self.mutators: dict[str, list[Unit]] = {}
        for unit in layout.units:
            if _is_import(unit):
                continue
            bound = bound_names(unit.node)
            roots = registered_roots(unit.node) if bound else mutated_roots(unit.node)
            for root in roots:
                if root in bound:
                    continue
                if root in self.binders:  # travels with the first name it changes
                    self.mutators.setdefault(root, []).append(unit)
                    break
        self.defined = set(defined) | set(self.binders)
        self.copies = {n for n in self.binders if self.copyable(n) is not None}
        self._needs: dict[int, UnitNeeds] = {}

    # -- units ---------------------------------------------------------------------
    def units_of(self, names: Iterable[str]) -> list[Unit]:
        """Every statement binding or mutating `names`, in source order."""
        found: dict[int, Unit] = {}
        for name in names:
            for unit in [*self.binders.get(name, []), *self.mutators.get(name, [])]:
                found[unit.position] = unit
        return [found[p] for p in sorted(found)]

    def body(self) -> Iterator[Unit]:
        """Every statement but plain imports and the docstring: an `if`/`try` block of
        imports and assignments (`except ImportError: dumps = _slow_dumps`) reads names
        like any code."""
        for unit in self.layout.units:
            if not _is_import(unit):
                yield unit

    def owners(self, unit: Unit) -> set[str]:
        """The names a statement belongs to: those it binds, and the one it mutates or
        registers with (a decorated hook moves with its target)."""
        bound = set(bound_names(unit.node))
        return bound | {n for n, units in self.mutators.items() if unit in units}

    def copyable(self, name: str) -> Unit | None:
        """`logger = logging.getLogger(__name__)`: every module has its own; copy it."""
        units = self.binders.get(name, [])
        if len(units) != 1 or not isinstance(units[0].node, ast.Assign):
            return None
        value = units[0].node.value
        if not (isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords):
            return None
        func, arg = value.func, value.args[0]
        name_of_func = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        is_name_arg = isinstance(arg, ast.Name) and arg.id == "__name__"
        return units[0] if name_of_func == "getLogger" and is_name_arg else None

    # -- needs ---------------------------------------------------------------------
    def needs(self, unit: Unit) -> UnitNeeds:
        found = self._needs.get(unit.position)
        if found is None:
            found = self._needs[unit.position] = self._gather(unit)
        return found

    def _gather(self, unit: Unit) -> UnitNeeds:
        text = self.layout.text_of(unit)
        key = (text, self.deferred)
        raw = _RAW_NEEDS.get(key)
        if raw is None:
            if len(_RAW_NEEDS) > _RAW_NEEDS_KEPT:
                _RAW_NEEDS.clear()
            free = gather_free_names(text, [unit.node])
            uses = gather_name_uses([unit.node], self.deferred)
            type_only = frozenset(uses.annotation_only - free.writes)
            raw = _RAW_NEEDS[key] = (frozenset(free.reads | free.writes) - type_only, type_only)
        runtime, type_only = raw
        return UnitNeeds(runtime & self.defined - self.copies, type_only & self.defined)

    def needed_by(self, names: Iterable[str]) -> set[str]:
        """What the statements of `names` need at runtime, apart from `names`."""
        names = set(names)
        found: set[str] = set()
        for unit in self.units_of(names):
            found |= self.needs(unit).runtime
        return found - names

    def closure(self, names: Iterable[str], stop: frozenset[str] = frozenset()) -> set[str]:
        """`names` and everything they need at runtime, transitively; the other names a
        needed statement binds come along (`a, b = …` moves whole). Names in `stop` are
        neither reached nor followed."""
        found = set(names) - stop
        queue = deque(found)
        while queue:
            name = queue.popleft()
            for unit in self.units_of([name]):
                for other in self.needs(unit).runtime | self.owners(unit):
                    if other not in found and other not in stop:
                        found.add(other)
                        queue.append(other)
        return found

    def chain(self, start: Iterable[str], goal: str) -> list[Read]:
        """The shortest run of reads from one of `start` to `goal` ([] when none)."""
        parents: dict[str, Read | None] = dict.fromkeys(start)
        queue = deque(parents)
        while queue:
            name = queue.popleft()
            for unit in self.units_of([name]):
                for other in sorted(self.needs(unit).runtime):
                    if other in parents:
                        continue
                    parents[other] = Read(name, other, first_read(unit.node, other))
                    if other == goal:
                        return _walk_back(parents, goal)
                    queue.append(other)
        return []


def _walk_back(parents: dict[str, Read | None], goal: str) -> list[Read]:
    reads: list[Read] = []
    step = parents[goal]
    while step is not None:
        reads.append(step)
        step = parents[step.reader]
    return reads[::-1]


def _is_import(unit: Unit) -> bool:
    node = unit.node
    return isinstance(node, (ast.Import, ast.ImportFrom)) or (
        unit.position == 0 and is_docstring(node)
    )


def first_read(node: ast.stmt, name: str) -> int:
    """The line of the first place `node` reads `name` (its first line when none)."""
    lines = [
        found.lineno
        for found in ast.walk(node)
        if isinstance(found, ast.Name) and found.id == name and not isinstance(found.ctx, ast.Store)
    ]
    return min(lines, default=node.lineno)


def mutated_roots(node: ast.stmt) -> list[str]:
    """Names a module-level statement changes in place or registers, most direct first:
    `x.a = …`, `x[k] = …`, `del x[k]`, `x.update(…)`, then the plain names passed to a
    call (`event.listen(Payment, "before_insert", stamp)`, `admin.site.register(X)`),
    also inside `for`/`while`/`with`/`if` blocks."""
    roots: list[str] = []
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = list(node.targets)
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        targets = [call.func] if isinstance(call.func, ast.Attribute) else []
        arguments = [*call.args, *(k.value for k in call.keywords)]
        targets += [a for a in arguments if isinstance(a, ast.Name)]
    for target in targets:
        if isinstance(target, (ast.Attribute, ast.Subscript, ast.Name)):
            root = _root_name(target)
            if root is not None and root not in roots:
                roots.append(root)
    if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.If)):
        for inner in [*node.body, *getattr(node, "orelse", [])]:
            roots += [r for r in mutated_roots(inner) if r not in roots]
    return roots


def registered_roots(node: ast.stmt) -> list[str]:
    """Names a decorated definition registers with: `@compiles(utcnow)`,
    `@event.listens_for(SourcePrice, "before_insert")`, `@receiver(post_save,
    sender=Customer)`: the plain names passed to its decorators."""
    roots: list[str] = []
    for decorator in getattr(node, "decorator_list", []):
        if isinstance(decorator, ast.Call):
            arguments = [*decorator.args, *(k.value for k in decorator.keywords)]
            roots += [a.id for a in arguments if isinstance(a, ast.Name) and a.id not in roots]
    return roots


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None
