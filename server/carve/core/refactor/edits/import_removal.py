"""Taking names out of an import statement, and the statement out of its file when no
name is left (its block too, when that leaves `if TYPE_CHECKING:` empty)."""

from __future__ import annotations

import ast

from carve.core.refactor.edits.import_edits import (
    alias_name,
    locate,
    removal_range,
    render,
    without,
)
from carve.core.refactor.edits.layout import ModuleLayout
from carve.core.refactor.edits.splices import FileEdit
from carve.core.summary import Import


def drop_import_names(
    edit: FileEdit, layout: ModuleLayout | None, statement: Import, names: set[str]
) -> bool:
    """Remove `names` (as written: `a.b` for `import a.b`); True when the statement goes."""
    located = locate(edit.lines, statement)
    node = without(located.node(), lambda a: alias_name(a) in names)
    if node is not None:
        edit.replace(located.start, located.end, render(node))
        return False
    unit = layout.unit_at(statement.line) if layout is not None else None
    if unit is not None and statement.column and _only_statement(unit.node, statement):
        if isinstance(unit.node, ast.If) and not unit.node.orelse:
            edit.delete_lines(unit.gap_start, unit.last_line)
            return True
        edit.replace(located.start, located.end, "pass")
        return True
    start, end, text = removal_range(edit.lines, located)
    if text == "" and start == edit.lines.start(statement.line):
        edit.delete_lines(statement.line, statement.end_line)
    else:
        edit.replace(start, end, text)
    return True


def _only_statement(node: ast.stmt, statement: Import) -> bool:
    """Whether `statement` is alone in the block of `node` that holds it."""
    blocks: list[list[ast.stmt]] = []
    for child in ast.walk(node):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(child, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                blocks.append(block)
    return any(len(block) == 1 and block[0].lineno == statement.line for block in blocks)
