"""The source module after the move: code cut out, imports it no longer uses removed,
and a re-export of every moved name (`from .invoice_models import Invoice as Invoice`)
so that each old import keeps working; `__all__` kept in sync."""

from __future__ import annotations

import ast

import libcst as cst

from carve.core.refactor.edits.dunder_all import add_to_dunder_all
from carve.core.refactor.edits.import_edits import (
    can_host,
    can_join,
    locate,
    names_of,
    replace_statement,
    with_added,
)
from carve.core.refactor.edits.import_order import Names, statement_names
from carve.core.refactor.edits.import_removal import drop_import_names
from carve.core.refactor.edits.layout import ModuleLayout, Unit, bound_names
from carve.core.refactor.edits.names import unit_names_used
from carve.core.refactor.edits.placement import insert_first_imports
from carve.core.refactor.edits.references import detect_style, reference, render_from_import
from carve.core.refactor.edits.splices import FileEdit, newline_of
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.dependencies import MovedCode, bound_name
from carve.core.summary import Import, ImportContext


class SourceEdit:
    def __init__(
        self, ctx: MoveContext, layout: ModuleLayout, code: MovedCode, imported: set[str]
    ) -> None:
        self.ctx = ctx
        self.layout = layout
        self.code = code
        self.imported = imported  # names other modules import from the source
        self.edit: FileEdit = ctx.edits.file(ctx.source.path)
        self.moved_positions = {u.position for u in code.units}
        self.dropped_blocks: set[int] = set()  # `if TYPE_CHECKING:` units emptied
        self.touched: set[Import] = set()
        self.deleted: set[Import] = set()

    def plan(self) -> None:
        self.moved_positions |= self._unused_copies()
        for unit in self.code.units:
            self.edit.delete_lines(self._cut_from(unit), unit.last_line)
        for unit in self.code.copies:
            if unit.position in self.moved_positions:
                self.edit.delete_lines(unit.gap_start, unit.last_line)
        self._remove_unused_imports()
        self._add_reexports()
        public = [n for n in self.ctx.asked if not n.startswith("_")]
        if self.ctx.source.summary.dunder_all is not None and public:
            add_to_dunder_all(self.edit, self.layout.tree, public)

    def _cut_from(self, unit: Unit) -> int:
        """Where a moved unit's lines start: with the blank lines above it, unless it
        opens a run of moved units that code without blank lines of its own follows
        (`Base = …` then `SECRET = …`): those blank lines then keep separating it."""
        units, moving = self.layout.units, self.moved_positions
        if unit.position and unit.position - 1 in moving:
            return unit.gap_start
        after = unit.position + 1
        while after < len(units) and after in moving:
            after += 1
        if after < len(units) and units[after].gap == 0 and unit.gap:
            return unit.first_line
        return unit.gap_start

    def _unused_copies(self) -> set[int]:
        """`logger = getLogger(__name__)` that only the moved code used: the destination
        has its own copy now, so it goes."""
        copies = {u.position for u in self.code.copies}
        used: set[str] = set(self.ctx.source.summary.dunder_all or ())
        for unit in self.layout.units:
            if unit.position not in self.moved_positions and unit.position not in copies:
                used |= unit_names_used(self.layout.text_of(unit), unit.node)
        return {u.position for u in self.code.copies if not set(bound_names(u.node)) & used}

    # -- imports only the moved code used -----------------------------------------
    def _remove_unused_imports(self) -> None:
        removals: dict[Import, set[str]] = {}
        while True:
            used = self._used_after()
            removals = {s: names for s in self._candidates() if (names := self._unused(s, used))}
            emptied = self._emptied_blocks(removals)
            if emptied <= self.dropped_blocks:
                break
            self.dropped_blocks |= emptied
        for position in self.dropped_blocks:
            unit = self.layout.units[position]
            self.edit.delete_lines(unit.gap_start, unit.last_line)
        for statement, names in removals.items():
            if self.layout.unit_at(statement.line) in self._dropped_units():
                continue
            self._remove_names(statement, names)

    def _used_after(self) -> set[str]:
        used = set(self.ctx.source.summary.dunder_all or ())
        for unit in self.layout.units:
            if unit.position in self.moved_positions or unit.position in self.dropped_blocks:
                continue
            used |= unit_names_used(self.layout.text_of(unit), unit.node)
        return used

    def _needed_names(self) -> set[str]:
        names = set(self.code.free.reads)
        for wanted in self.code.needed.values():
            names |= wanted
        return names

    def _candidates(self) -> list[Import]:
        reads = self._needed_names()
        found = []
        for statement in self.ctx.source.summary.imports:
            if statement.in_try or statement.module == "__future__":
                continue
            if statement.context is ImportContext.LAZY:
                continue
            if statement.context is ImportContext.MODULE and statement.column != 0:
                continue  # inside `if sys.version_info …:` and the like: leave it
            if any(bound_name(statement, n) in reads for n in statement.names):
                found.append(statement)
        return found

    def _unused(self, statement: Import, used: set[str]) -> set[str]:
        reads = self._needed_names()
        index = self.ctx.index
        source = self.ctx.source
        is_hub = index.is_hub(source)
        names = set()
        for imported in statement.names:
            bound = bound_name(statement, imported)
            if bound not in reads or bound in used or bound in self.imported:
                continue
            if imported.explicit_reexport:
                continue
            if is_hub and statement.from_import and self._feature_file(statement):
                continue  # a hub's imports of its feature files are its re-exports
            names.add(imported.name)
        return names

    def _feature_file(self, statement: Import) -> bool:
        """`from .invoice_models import …` in `models.py` or a package `__init__`: what a
        hub imports from the feature files it aggregates (Django registers models so)."""
        source = self.ctx.source
        origin = self.ctx.absolute(source, statement)
        if not origin.startswith(source.package + ".") or origin == source.name:
            return False
        return source.is_package or (
            source.basename in self.ctx.index.config.components
            and origin.endswith("_" + source.basename)
        )

    def _emptied_blocks(self, removals: dict[Import, set[str]]) -> set[int]:
        emptied = set()
        for unit in self.layout.units:
            node = unit.node
            if not (isinstance(node, ast.If) and not node.orelse):
                continue
            if unit.position in self.moved_positions:
                continue
            inside = [
                s
                for s in self.ctx.source.summary.imports
                if unit.first_line <= s.line <= unit.last_line
            ]
            if len(node.body) != len(inside) or not inside:
                continue
            if all(s.context is ImportContext.TYPE_CHECKING for s in inside) and all(
                s in removals and len(removals[s]) == len(s.names) for s in inside
            ):
                emptied.add(unit.position)
        return emptied

    def _dropped_units(self) -> list[Unit]:
        return [self.layout.units[p] for p in self.dropped_blocks]

    def _remove_names(self, statement: Import, names: set[str]) -> None:
        self.touched.add(statement)
        if drop_import_names(self.edit, self.layout, statement, names):
            self.deleted.add(statement)

    # -- the re-export ----------------------------------------------------------------
    def _add_reexports(self) -> None:
        ctx = self.ctx
        names: Names = [(n, None if n in ctx.plain else n) for n in ctx.requested]
        newline = newline_of(self.edit.original)
        merge = self._merge_target(names)
        if merge is not None:
            located = locate(self.edit.lines, merge)
            node = located.node()
            assert isinstance(node, cst.ImportFrom)
            present = set(names_of(node))
            additions = [n for n in names if n not in present]
            if additions:
                node = with_added(node, additions)
                replace_statement(self.edit, located, node, ctx.style, newline)
            return
        style = detect_style(ctx.index, ctx.source, ctx.destination)
        ref = reference(ctx.source, ctx.destination, style.relative)
        text = render_from_import(ref, names, ctx.style, newline, one_per_line=style.one_per_line)
        self._insert_reexport(text + newline, newline)

    def _merge_target(self, names: Names) -> Import | None:
        for statement in self.ctx.source.summary.imports:
            if (
                can_host(statement)
                and statement not in self.touched
                and self.ctx.absolute(self.ctx.source, statement) == self.ctx.destination
                and can_join(statement_names(statement), names, self.ctx.style)
            ):
                return statement
        return None

    def _insert_reexport(self, text: str, newline: str) -> None:
        """Below the last import that stays; where the imports were if none stays."""
        layout, edit = self.layout, self.edit
        header = layout.units[: layout.header_end()]
        imports = [u for u in header if isinstance(u.node, (ast.Import, ast.ImportFrom))]
        kept = [u for u in imports if not self._fully_removed(u)]
        if kept:
            future = (
                isinstance(kept[-1].node, ast.ImportFrom) and kept[-1].node.module == "__future__"
            )
            edit.insert_after_line(kept[-1].last_line, newline + text if future else text)
        elif imports:
            edit.insert(edit.lines.start(imports[0].node.lineno), text)
        else:
            leaving = frozenset(self.moved_positions)
            insert_first_imports(edit, layout, text.rstrip("\r\n"), newline, leaving)

    def _fully_removed(self, unit: Unit) -> bool:
        return any(s.line == unit.node.lineno for s in self.deleted)
