"""What the moved code needs: which statements move (the requested names, what the
partition takes along, the statements mutating them), which of the source's imports
the destination must repeat, and when to refuse."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from carve.core.refactor.edits.freenames import FreeNames, gather_free_names
from carve.core.refactor.edits.layout import DEFINITIONS, ModuleLayout, Unit, bound_names
from carve.core.refactor.edits.names import (
    gather_name_uses,
    has_future_annotations,
    names_used,
    unit_names_used,
)
from carve.core.refactor.edits.unit_graph import UnitGraph
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.request import MoveError
from carve.core.summary import Import, ImportContext, ImportedName


@dataclass
class MovedCode:
    units: list[Unit]  # in source order
    free: FreeNames
    copies: list[Unit] = field(default_factory=list)  # `logger = getLogger(__name__)`
    needed: dict[Import, set[str]] = field(default_factory=dict)  # source imports → names
    # names that stay in the source and that the moved code reads only in annotations
    # Python does not evaluate: the destination imports them under `if TYPE_CHECKING:`
    type_only: list[str] = field(default_factory=list)
    guards: set[Import] = field(default_factory=set)  # in `needed` for `TYPE_CHECKING` only


class MovedCodeAnalysis:
    def __init__(self, ctx: MoveContext, layout: ModuleLayout) -> None:
        self.ctx = ctx
        self.layout = layout
        self.summary = ctx.source.summary
        self.graph = UnitGraph(layout, self.summary.definitions, self._deferred())
        self.defined = self.graph.defined
        self._uses = {u.position: unit_names_used(layout.text_of(u), u.node) for u in layout.units}

    def check_requested(self) -> None:
        """Refuse names that are not movable statements of their own."""
        for name in self.ctx.requested:
            self._check_requested(name)
        self._units(set(self.ctx.requested))

    def run(self, along: list[str]) -> MovedCode:
        """`along`: the names the partition takes with the requested ones."""
        self.check_requested()
        moved = set(self.ctx.requested) | set(along)
        units = self._units(moved)
        free = self._free_names(units)
        copies = [u for n in free.reads - moved if (u := self.graph.copyable(n)) is not None]
        uses = gather_name_uses([u.node for u in units], self._deferred())
        staying = (free.reads | free.writes | uses.annotations) & self.defined - moved
        staying -= {bound_names(u.node)[0] for u in copies}
        type_only = {n for n in staying if n in uses.annotation_only and n not in free.writes}
        self._refuse_cycles(sorted(staying - type_only), units)
        self.ctx.moved = moved
        code = MovedCode(units, free, copies)
        code.type_only = sorted(type_only)
        reads = free.reads | uses.annotations
        for unit in copies:
            reads |= self._uses[unit.position]
        code.needed = self._binding(reads - moved)
        code.guards = self._guards(code)
        return code

    def _deferred(self) -> bool:
        """Whether no annotation of the source is evaluated when it is defined."""
        return has_future_annotations(self.summary) or self.ctx.style.lazy_annotations

    # -- which statements ---------------------------------------------------------
    def _check_requested(self, name: str) -> None:
        source = self.ctx.source
        if name in self.graph.binders:
            return
        where = self.summary.definitions.get(name)
        if where is not None:
            raise MoveError(
                f"`{name}` is defined inside an `if`/`try` block; carve moves only "
                "definitions at module level (move the block by hand)",
                source.path,
                where.line,
            )
        if any(name in {n.bound for n in s.names} for s in self.summary.imports):
            raise MoveError(
                f"`{name}` is imported into `{source.name}`, not defined there; "
                "move it from the module that defines it",
                source.path,
            )
        nested = _nested_definition(self.layout.tree, name)
        if nested is not None:
            outer, line = nested
            raise MoveError(
                f"`{name}` is not a top-level definition (it is inside `{outer}`); "
                "carve moves module-level classes, functions and constants",
                source.path,
                line,
            )
        raise MoveError(f"`{source.name}` defines no `{name}`", source.path)

    def _units(self, moved: set[str]) -> list[Unit]:
        units = self.graph.units_of(moved)
        binding = {u.position for n in moved for u in self.graph.binders.get(n, [])}
        for unit in units:
            others = [n for n in bound_names(unit.node) if n not in moved]
            if unit.position not in binding:
                others = []  # a hook registered with a moved name: it goes along
            if others:
                raise MoveError(
                    f"line {unit.node.lineno} also assigns {_names(others)}; move them together",
                    self.ctx.source.path,
                    unit.node.lineno,
                )
            if self.layout.shares_line(unit):
                raise MoveError(
                    "this statement shares its line with another one (`;`); split it first",
                    self.ctx.source.path,
                    unit.node.lineno,
                )
        return units

    def _free_names(self, units: list[Unit]) -> FreeNames:
        text = "".join(self.layout.text_of(u) for u in units)
        return gather_free_names(text, [u.node for u in units])

    # -- refusals and imports ------------------------------------------------------
    def _refuse_cycles(self, staying: list[str], units: list[Unit]) -> None:
        """Names the moved code needs at runtime that stay: importing them back from the
        source, which imports the destination to re-export the moved code, is a cycle."""
        if not staying:
            return
        ctx = self.ctx
        source, destination = ctx.source.name, ctx.destination
        raise MoveError(
            f"{_names(sorted(ctx.requested))} use{'s' if len(ctx.requested) == 1 else ''} "
            f"{_names(staying)}, which stay{'s' if len(staying) == 1 else ''} in `{source}`. "
            f"`{source}` will import `{destination}` to re-export the moved code, so "
            f"`{destination}` importing them back is an import cycle ({source} → "
            f"{destination} → {source})",
            ctx.source.path,
            units[0].node.lineno,
        )

    def _guards(self, code: MovedCode) -> set[Import]:
        """Source imports the `if TYPE_CHECKING:` tests of the destination read: those of
        the blocks holding needed type-only imports, and `TYPE_CHECKING` itself when
        staying names are imported type-only."""
        tests: set[str] = {"TYPE_CHECKING"} if code.type_only else set()
        for statement in code.needed:
            if statement.context is ImportContext.TYPE_CHECKING:
                unit = self.layout.unit_at(statement.line)
                if unit is not None and isinstance(unit.node, ast.If):
                    tests |= names_used(unit.node.test)
        guards = set()
        for statement, names in self._binding(tests).items():
            if statement not in code.needed:
                guards.add(statement)
            code.needed.setdefault(statement, set()).update(names)
        return guards

    def _binding(self, reads: set[str]) -> dict[Import, set[str]]:
        needed: dict[Import, set[str]] = {}
        for statement in self.summary.imports:
            if statement.context is ImportContext.LAZY or statement.module == "__future__":
                continue
            wanted = {bound_name(statement, n) for n in statement.names} & reads
            if wanted:
                needed[statement] = wanted
        return needed


def bound_name(statement: Import, imported: ImportedName) -> str:
    """The name an import binds: `import a.b` binds `a`."""
    if statement.from_import or imported.alias:
        return imported.bound
    return imported.name.partition(".")[0]


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _nested_definition(tree: ast.Module, name: str) -> tuple[str, int] | None:
    for top in tree.body:
        for node in ast.walk(top):
            if node is top:
                continue
            if isinstance(node, DEFINITIONS) and node.name == name:
                outer = getattr(top, "name", type(top).__name__.lower())
                return outer, node.lineno
    return None
