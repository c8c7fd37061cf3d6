"""Repeating the source's imports in the destination, in the source's own style.

Each import statement the moved code needs is copied with only the names it needs
(LibCST keeps its formatting); a relative import is re-aimed when the destination
lives in another package.
"""

from __future__ import annotations

import ast

import libcst as cst

from carve.core.refactor.edits.import_edits import (
    alias_as,
    alias_name,
    locate,
    render,
    retargeted,
    without,
    without_reexport_aliases,
)
from carve.core.refactor.edits.layout import ModuleLayout, Unit
from carve.core.refactor.edits.references import relative_reference
from carve.core.refactor.edits.splices import LineIndex, Splice, apply_splices
from carve.core.refactor.move.context import MoveContext
from carve.core.summary import Import, ImportContext


class ImportCopier:
    def __init__(self, ctx: MoveContext, layout: ModuleLayout) -> None:
        self.ctx = ctx
        self.layout = layout
        self.lines: LineIndex = layout.lines
        self.repackaged = ctx.destination_package != ctx.source.package

    def statement(self, statement: Import, names: set[str] | None) -> str:
        """The statement's text keeping only `names` (all when None), re-aimed if needed,
        without indentation, and without the re-export form `A as A` (the destination
        uses the name; re-exporting it is the hub's job)."""
        located = locate(self.lines, statement)
        node = located.node()
        if names is not None:
            kept = without(node, lambda a: _bound(statement, a) not in names)
            assert kept is not None
            node = kept
        node = without_reexport_aliases(node)
        if self.repackaged and isinstance(node, cst.ImportFrom) and statement.level:
            node = retargeted(node, self.reference(statement))
        return render(node)

    def reference(self, statement: Import) -> str:
        absolute = self.ctx.absolute(self.ctx.source, statement)
        relative = relative_reference(self.ctx.destination_package, absolute)
        return relative if relative is not None else absolute

    def indent_of(self, statement: Import) -> str:
        line = self.lines.line(statement.line)
        return line[: statement.column]

    def unit_text(self, unit: Unit) -> str:
        """A moved unit, byte for byte, except relative imports inside it that must be
        re-aimed because the destination is in another package."""
        text = self.layout.text_of(unit)
        if not self.repackaged:
            return text
        base = self.lines.start(unit.first_line)
        splices = []
        for statement in self.ctx.source.summary.imports:
            if statement.level and unit.first_line <= statement.line <= unit.last_line:
                located = locate(self.lines, statement)
                node = located.node()
                assert isinstance(node, cst.ImportFrom)
                new = render(retargeted(node, self.reference(statement)))
                splices.append(Splice(located.start - base, located.end - base, new))
        return apply_splices(text, splices)

    def statements_in(self, unit: Unit) -> list[Import]:
        return [
            s
            for s in self.ctx.source.summary.imports
            if unit.first_line <= s.line <= unit.last_line and s.context is not ImportContext.LAZY
        ]


def _bound(statement: Import, alias: cst.ImportAlias) -> str:
    name, asname = alias_name(alias), alias_as(alias)
    if asname:
        return asname
    return name if statement.from_import else name.partition(".")[0]


def is_direct_type_checking(unit: Unit, statement: Import) -> bool:
    """Whether `statement` sits directly in the body of the `if TYPE_CHECKING:` `unit`."""
    node = unit.node
    return (
        statement.context is ImportContext.TYPE_CHECKING
        and isinstance(node, ast.If)
        and not node.orelse
        and any(
            isinstance(b, (ast.Import, ast.ImportFrom)) and b.lineno == statement.line
            for b in node.body
        )
    )
