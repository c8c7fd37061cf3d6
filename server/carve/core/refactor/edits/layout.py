"""The top-level shape of one module: statements as line ranges, with their comments.

A unit is one top-level statement plus the comment lines directly above it (no blank
line between). `gap` counts the blank lines right above the unit: they separate it
from what comes before and travel with it when it moves.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from carve.core.refactor.edits.splices import LineIndex, is_blank

DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=]|^#!")
_TYPE_ALIAS = getattr(ast, "TypeAlias", None)


@dataclass(frozen=True, slots=True)
class Unit:
    node: ast.stmt
    position: int  # index in the module body
    first_line: int  # first attached comment, else first decorator, else the statement
    last_line: int
    gap: int  # blank lines directly above first_line

    @property
    def gap_start(self) -> int:
        return self.first_line - self.gap


class ModuleLayout:
    def __init__(self, tree: ast.Module, lines: LineIndex) -> None:
        self.tree = tree
        self.lines = lines
        self.units: list[Unit] = []
        previous_last = 0
        for position, node in enumerate(tree.body):
            code_line = min([node.lineno, *(d.lineno for d in _decorators(node))])
            first = code_line
            while first - 1 > previous_last and attached_comment(lines, first - 1):
                first -= 1
            gap = 0
            while first - gap - 1 > previous_last and is_blank(lines.line(first - gap - 1)):
                gap += 1
            last = node.end_lineno or node.lineno
            self.units.append(Unit(node, position, first, last, gap))
            previous_last = last

    def unit_at(self, line: int) -> Unit | None:
        for unit in self.units:
            if unit.first_line <= line <= unit.last_line:
                return unit
        return None

    def shares_line(self, unit: Unit) -> bool:
        """`a = 1; b = 2`: a statement that cannot be cut out by whole lines."""
        before = self.units[unit.position - 1] if unit.position else None
        after = self.units[unit.position + 1] if unit.position + 1 < len(self.units) else None
        if before is not None and before.last_line >= unit.first_line:
            return True
        return after is not None and after.node.lineno <= unit.last_line

    def text_of(self, unit: Unit) -> str:
        """The unit's lines, comments and decorators included, byte for byte."""
        return self.lines.span(unit.first_line, unit.last_line)

    def header_end(self) -> int:
        """Position of the first statement that is not a docstring, import or
        import-only block (`if TYPE_CHECKING:`, `try: import …`)."""
        for unit in self.units:
            if not is_header_statement(unit.node, unit.position):
                return unit.position
        return len(self.units)


def is_header_statement(node: ast.stmt, position: int) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if position == 0 and is_docstring(node):
        return True
    if isinstance(node, (ast.If, ast.Try)):
        return all(
            isinstance(inner, (ast.Import, ast.ImportFrom, ast.Pass, ast.Assign))
            for inner in _block_statements(node)
        )
    return False


def _block_statements(node: ast.If | ast.Try) -> Iterator[ast.stmt]:
    yield from node.body
    yield from node.orelse
    if isinstance(node, ast.Try):
        for handler in node.handlers:
            yield from handler.body
        yield from node.finalbody


def is_docstring(node: ast.stmt) -> bool:
    """A string statement (a docstring when it comes first)."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _decorators(node: ast.stmt) -> list[ast.expr]:
    return list(getattr(node, "decorator_list", []))


def attached_comment(lines: LineIndex, number: int) -> bool:
    text = lines.line(number)
    if not text.lstrip().startswith("#"):
        return False
    return not (number <= 2 and _CODING.match(text))


def bound_names(node: ast.stmt) -> list[str]:
    """Names a top-level statement binds (definitions and assignments, not imports)."""
    if isinstance(node, DEFINITIONS):
        return [node.name]
    if _TYPE_ALIAS is not None and isinstance(node, _TYPE_ALIAS):
        return [node.name.id]  # type: ignore[attr-defined,unused-ignore]
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    names: list[str] = []
    for target in targets:
        names.extend(_target_names(target))
    return names


def _target_names(target: ast.expr) -> Iterator[str]:
    """`a`, `a, (b, *c)`; never the `a` of `a.x = …` or `a[0] = …`."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)
