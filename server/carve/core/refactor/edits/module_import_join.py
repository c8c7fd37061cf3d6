"""`from django.utils import timezone` gaining `clock`: an import of the destination
module that an attribute rewrite adds joins the `from` statement of the alias it
replaces when both read the same package (`from django.utils import clock, timezone`),
as isort would write it, instead of a second `from django.utils import …` line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from carve.core.refactor.edits.import_edits import (
    alias_name,
    can_host,
    can_join,
    locate,
    names_of,
    parse_import,
    replace_statement,
    with_added,
    without,
)
from carve.core.refactor.edits.import_order import statement_names
from carve.core.refactor.edits.references import absolute_reference, detect_style
from carve.core.refactor.edits.splices import FileEdit, newline_of
from carve.core.refactor.move.context import MoveContext

if TYPE_CHECKING:
    from carve.core.refactor.move.attributes import ModuleAlias


def join_module_import(
    ctx: MoveContext, edit: FileEdit, alias: ModuleAlias, new_import: str, drop: bool
) -> bool:
    """Put the names of `new_import` into the alias's own statement (and take the alias
    out of it when `drop`); False when the project's style keeps them apart."""
    statement, module = alias.statement, alias.module
    if not can_host(statement) or detect_style(ctx.index, module).one_per_line:
        return False
    new = parse_import(new_import)
    if not isinstance(new, cst.ImportFrom) or new.module is None:
        return False
    level = len(new.relative)
    origin = absolute_reference(module.package, level, _dotted(new.module))
    if origin != ctx.index.absolute(module, statement):
        return False
    additions = names_of(new)
    if not can_join(statement_names(statement), additions, ctx.style):
        return False
    located = locate(edit.lines, statement)
    if edit.covers(located.start, located.end):
        return False
    node = located.node()
    assert isinstance(node, cst.ImportFrom)
    joined: cst.ImportFrom | cst.Import | None = with_added(node, additions)
    if drop and joined is not None:
        joined = without(joined, lambda a: alias_name(a) == alias.imported.name)
    assert joined is not None  # the added name is never the dropped one
    replace_statement(edit, located, joined, ctx.style, newline_of(edit.original))
    return True


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    assert isinstance(node, cst.Attribute)
    return f"{_dotted(node.value)}.{node.attr.value}"
