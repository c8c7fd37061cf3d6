"""Fallback summary builder for syntax this interpreter's `ast` cannot read.

On Python 3.11, `ast` rejects PEP 695 (`class Box[T]:`, `type X = int`) and PEP 701
f-strings. LibCST's native parser reads them (at ~1 MB/s, so only for files `ast`
rejected). Each top-level statement is handed back to `ast` on its own; the few
that still fail are stripped of type parameters first, and as a last resort
summarised from the CST directly.
"""

from __future__ import annotations

import ast

import libcst as cst

from carve.core.gather_ast import GatherSummary
from carve.core.older_syntax import older_ast, parse_module
from carve.core.summary import Definition, DefKind, ModuleSummary


def gather_with_libcst(text: str) -> ModuleSummary:
    """Raises libcst.ParserSyntaxError when the text is not valid Python of any version."""
    module = parse_module(text)
    gatherer = GatherSummary()
    body: list[ast.stmt] = []
    line_offset = len(module.header)  # comment/blank lines before the first statement
    for stmt in module.body:
        chunk = module.code_for_node(stmt)
        tree = older_ast(module, stmt, chunk, line_offset)
        if tree is not None:
            body.extend(tree.body)
            gatherer.add_used(_type_parameter_reads(stmt))  # the older tree drops them
        else:
            _summarise_from_cst(gatherer, stmt, line_offset, chunk)
        line_offset += chunk.count("\n")
    # One pass over the whole body, as `ast` would make: the same order of imports.
    gatherer.visit_statements(body)
    return gatherer.finish()


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def _type_parameter_reads(stmt: cst.CSTNode) -> set[str]:
    """Names a statement's PEP 695 brackets read (`Base` in `class C[T: Base]`)."""
    target = stmt
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        target = stmt.body[0]
    parameters = getattr(target, "type_parameters", None)
    if parameters is None:
        return set()
    names = _Names()
    parameters.visit(names)
    return names.names


def _summarise_from_cst(
    gatherer: GatherSummary, stmt: cst.CSTNode, offset: int, chunk: str
) -> None:
    """Last resort: record the definition and every name the statement mentions."""
    names = _Names()
    stmt.visit(names)
    gatherer.add_used(names.names)
    leading = len(chunk) - len(chunk.lstrip("\n"))
    line = offset + 1 + leading
    end = offset + chunk.rstrip("\n").count("\n") + 1
    target: cst.CSTNode = stmt
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        target = stmt.body[0]
    kind_and_name: tuple[DefKind, str] | None = None
    if isinstance(target, cst.ClassDef):
        kind_and_name = (DefKind.CLASS, target.name.value)
    elif isinstance(target, cst.FunctionDef):
        kind_and_name = (DefKind.FUNCTION, target.name.value)
    elif isinstance(target, cst.TypeAlias):
        kind_and_name = (DefKind.TYPE_ALIAS, target.name.value)
    elif isinstance(target, (cst.Assign, cst.AnnAssign)):
        targets = (
            [t.target for t in target.targets]
            if isinstance(target, cst.Assign)
            else [target.target]
        )
        for node in targets:
            if isinstance(node, cst.Name):
                kind_and_name = (DefKind.VARIABLE, node.value)
    if kind_and_name is not None:
        kind, name = kind_and_name
        gatherer.summary.definitions.setdefault(name, Definition(name, kind, line, 0, end))
