"""Where new statements go in an existing module: an import in order within its isort
section when the module's imports are in order (else after the last one), the first
imports of a module after its docstring with the blank lines isort wants below them,
other header statements after the imports."""

from __future__ import annotations

import ast

from carve.core.refactor.edits.import_order import ImportOrder, section_of
from carve.core.refactor.edits.layout import DEFINITIONS, ModuleLayout, Unit, is_docstring
from carve.core.refactor.edits.splices import FileEdit


def header_imports(layout: ModuleLayout) -> list[Unit]:
    return [
        u
        for u in layout.units[: layout.header_end()]
        if isinstance(u.node, (ast.Import, ast.ImportFrom))
    ]


def insert_import(
    edit: FileEdit, layout: ModuleLayout, order: ImportOrder, text: str, nl: str
) -> None:
    """Insert the statements `text` (one section, no final line ending) among the
    top-level imports."""
    imports = header_imports(layout)
    if not imports:
        insert_first_imports(edit, layout, text, nl)
        return
    key = order.key_of_text(text)
    keys = [order.key_of_node(u.node) for u in imports]  # type: ignore[arg-type]
    if keys != sorted(keys):
        edit.insert_after_line(imports[-1].last_line, text + nl)
        return
    before = [u for u, k in zip(imports, keys, strict=True) if k <= key]
    after = [u for u, k in zip(imports, keys, strict=True) if k > key]
    if before and section_of(keys[len(before) - 1]) == section_of(key):
        edit.insert_after_line(before[-1].last_line, text + nl)
    elif after and section_of(keys[len(before)]) == section_of(key):
        edit.insert(edit.lines.start(after[0].first_line), text + nl)
    elif before:  # a new section after an existing one
        edit.insert_after_line(before[-1].last_line, nl + text + nl)
    else:  # a new first section
        edit.insert(edit.lines.start(after[0].first_line), text + nl + nl)


def insert_first_imports(
    edit: FileEdit, layout: ModuleLayout, text: str, nl: str, leaving: frozenset[int] = frozenset()
) -> None:
    """The imports of a module that has none: after its docstring, then one blank line
    (two before a class or function), as isort wants. `leaving`: positions of units
    the edit removes."""
    units = [u for u in layout.units if u.position not in leaving]
    docstring = units[0] if units and _is_docstring(units[0]) else None
    rest = units[1:] if docstring else units
    if not rest:
        before = nl if docstring else ""
        at = edit.lines.end(docstring.last_line) if docstring else len(edit.original)
        edit.insert(at, before + text + nl)
        return
    following = rest[0]
    wanted = 2 if isinstance(following.node, DEFINITIONS) else 1
    if docstring is None:
        edit.insert(edit.lines.start(following.first_line), text + nl + nl * wanted)
        return
    missing = max(wanted - following.gap, 0)
    edit.insert_after_line(docstring.last_line, nl + text + nl + nl * missing)
    if following.gap > wanted:
        start = edit.lines.start(following.gap_start)
        edit.replace(start, edit.lines.start(following.gap_start + following.gap - wanted), "")


def insert_after_header(edit: FileEdit, layout: ModuleLayout, text: str, nl: str) -> None:
    """After the last top-level import or import block (`if TYPE_CHECKING:`)."""
    header = [u for u in layout.units[: layout.header_end()] if not _is_docstring(u)]
    if header:
        edit.insert_after_line(header[-1].last_line, nl + text)
    else:
        insert_first_imports(edit, layout, text.rstrip("\r\n"), nl)


def _is_docstring(unit: Unit) -> bool:
    return unit.position == 0 and is_docstring(unit.node)
