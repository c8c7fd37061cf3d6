"""Which module-level names a piece of code reads and writes (via `symtable`: exact
Python scoping, so locals, parameters and comprehension variables never count)."""

from __future__ import annotations

import ast
import symtable
from dataclasses import dataclass, field


@dataclass
class FreeNames:
    reads: set[str] = field(default_factory=set)  # globals read anywhere in the code
    writes: set[str] = field(default_factory=set)  # `global x` assigned in a function
    defines: set[str] = field(default_factory=set)  # bound at the code's top level


def gather_free_names(source: str, nodes: list[ast.stmt]) -> FreeNames:
    """Free names of top-level statements `source` (their text); `nodes` (their trees)
    stand in when this interpreter cannot compile the text (newer syntax)."""
    try:
        table = symtable.symtable(source, "<moved code>", "exec")
    except SyntaxError:
        text = ast.unparse(ast.Module(body=nodes, type_ignores=[]))
        table = symtable.symtable(text, "<moved code>", "exec")
    found = FreeNames()
    for symbol in table.get_symbols():
        name = symbol.get_name()
        if symbol.is_assigned() or symbol.is_imported():
            found.defines.add(name)
        elif symbol.is_referenced():
            found.reads.add(name)
    for child in table.get_children():
        _nested(child, found)
    found.reads -= found.defines
    return found


def _nested(table: symtable.SymbolTable, found: FreeNames) -> None:
    for symbol in table.get_symbols():
        if not symbol.is_global():
            continue
        name = symbol.get_name()
        if symbol.is_referenced():
            found.reads.add(name)
        if symbol.is_assigned():
            found.writes.add(name)
    for child in table.get_children():
        _nested(child, found)
