"""Where code moving back into a module it once left goes, so a round trip (move out,
move back) restores the file byte for byte even when the code was not last in it.

Nothing in the module remembers the old position, but `__all__` usually lists names in
definition order (Django's modules do): the code goes after the nearest name listed
before it that the module defines, or before the nearest one listed after it. The slot
must respect import time: after every statement defining what the moved code reads at
import time (a base class, a decorator, a default), before every statement reading the
moved code at import time. Reads inside function bodies run later and do not count
(`localtime()` calling `now()` may come before it)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from carve.core.refactor.edits.dunder_all import dunder_all_node
from carve.core.refactor.edits.layout import Unit, bound_names

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True, slots=True)
class Slot:
    before: Unit | None  # insert above this unit (its blank lines); None: at the end


def restored_slot(
    tree: ast.Module, body: list[Unit], names: tuple[str, ...], moved: set[str], code: list[Unit]
) -> Slot | None:
    """The slot `__all__` points at for `names`, when import-time order allows it for
    the `moved` code (`code`, helpers included); else None."""
    slot = _listed_slot(tree, body, names)
    if slot is None:
        return None
    limit = slot.before.position if slot.before is not None else len(tree.body)
    if any(eager_names(u.node) & moved for u in body if u.position < limit):
        return None  # read at import time above the slot
    needed = set().union(*(eager_names(u.node) for u in code))
    if any(set(bound_names(u.node)) & needed for u in body if u.position >= limit):
        return None  # defined below the slot, needed when the moved code runs
    return slot


def _listed_slot(tree: ast.Module, body: list[Unit], names: tuple[str, ...]) -> Slot | None:
    declared = _declared(tree)
    listed = [declared.index(n) for n in names if n in declared]
    if not listed:
        return None
    at = min(listed)
    owner = {name: unit for unit in body for name in bound_names(unit.node)}
    for name in reversed(declared[:at]):
        if name in owner:
            after = owner[name].position
            return Slot(next((u for u in body if u.position > after), None))
    for name in declared[at + 1 :]:
        if name in owner and name not in names:
            return Slot(owner[name])
    return None


def _declared(tree: ast.Module) -> list[str]:
    node = dunder_all_node(tree)
    value = node.value if node is not None else None
    if not isinstance(value, (ast.List, ast.Tuple)):
        return []
    return [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def eager_names(node: ast.AST) -> set[str]:
    """Names `node` reads when it runs at module level: not inside function bodies."""
    found: set[str] = set()
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (*_FUNCTIONS, ast.Lambda)):
            stack.extend(_evaluated_with_definition(current))
            continue
        if isinstance(current, ast.Name) and not isinstance(current.ctx, ast.Store):
            found.add(current.id)
        stack.extend(ast.iter_child_nodes(current))
    return found


def _evaluated_with_definition(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda,
) -> list[ast.AST]:
    """Decorators, defaults and annotations: evaluated when the `def` runs."""
    args = node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    parts: list[ast.AST] = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    parts += [a.annotation for a in every if a.annotation is not None]
    if not isinstance(node, ast.Lambda):
        parts += node.decorator_list
        if node.returns is not None:
            parts.append(node.returns)
    return parts
