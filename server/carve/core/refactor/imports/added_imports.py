"""Imports the module-object passes of `carve imports` added one at a time
(`from django.db.models import base`, then `from django.db.models import expressions`),
joined as isort would have written them: into one statement per module, the first one
importing from that module (an existing one, or the first added), names in order.
Files that import one name per statement, and `force-single-line`, keep them apart."""

from __future__ import annotations

from collections import Counter

import libcst as cst

from carve.core.index import Module
from carve.core.refactor.edits.import_edits import can_host, can_join, locate, replace_statement
from carve.core.refactor.edits.import_edits import with_added as joined
from carve.core.refactor.edits.import_order import Names, statement_names
from carve.core.refactor.edits.import_removal import drop_import_names
from carve.core.refactor.edits.references import detect_style
from carve.core.refactor.edits.splices import FileEdit, newline_of
from carve.core.refactor.move.context import MoveContext
from carve.core.summary import Import

_Key = tuple[int, str, tuple[tuple[str, str | None], ...]]


def join_added_imports(ctx: MoveContext, original: Module, current: Module, text: str) -> str:
    """`text` (whose summary is `current`'s) with its added `from` statements joined."""
    if ctx.style.force_single_line or detect_style(ctx.index, original).one_per_line:
        return text
    before = Counter(_key(s) for s in original.summary.imports)
    groups: dict[tuple[int, str], list[Import]] = {}
    for statement in current.summary.imports:
        if can_host(statement):
            groups.setdefault((statement.level, statement.module), []).append(statement)
    edit = FileEdit(text)
    for statements in groups.values():
        added = _added(statements, before)
        host = statements[0]
        moving = [s for s in added if s is not host]
        names: Names = [n for s in moving for n in statement_names(s)]
        if not moving or not can_join(statement_names(host), names, ctx.style):
            continue
        located = locate(edit.lines, host)
        node = located.node()
        assert isinstance(node, cst.ImportFrom)
        replace_statement(edit, located, joined(node, names), ctx.style, newline_of(text))
        for statement in moving:
            drop_import_names(edit, None, statement, {n.name for n in statement.names})
    return edit.result()


def _added(statements: list[Import], before: Counter[_Key]) -> list[Import]:
    """The statements the original file did not have (by module and names)."""
    seen: Counter[_Key] = Counter()
    added = []
    for statement in statements:
        key = _key(statement)
        seen[key] += 1
        if seen[key] > before[key]:
            added.append(statement)
    return added


def _key(statement: Import) -> _Key:
    names = tuple((n.name, n.alias) for n in statement.names)
    return (statement.level, statement.module if statement.from_import else "", names)
