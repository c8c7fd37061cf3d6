"""Fallback summary builder for syntax this interpreter's `ast` cannot read.

On Python 3.11, `ast` rejects PEP 695 (`class Box[T]:`, `type X = int`) and PEP 701
f-strings. LibCST's native parser reads them (at ~1 MB/s, so only for files `ast`
rejected). Each top-level statement is handed back to `ast` on its own; the few
that still fail are stripped of type parameters first, and as a last resort
summarised from the CST directly.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from carve.core.gather_ast import GatherSummary
from carve.core.summary import Definition, DefKind, ModuleSummary


def gather_with_libcst(text: str) -> ModuleSummary:
    """Raises libcst.ParserSyntaxError when the text is not valid Python of any version."""
    module = cst.parse_module(text)
    gatherer = GatherSummary()
    line_offset = len(module.header)  # comment/blank lines before the first statement
    for stmt in module.body:
        chunk = module.code_for_node(stmt)
        _visit_chunk(gatherer, module, stmt, chunk, line_offset)
        line_offset += chunk.count("\n")
    return gatherer.finish()


def _visit_chunk(
    gatherer: GatherSummary, module: cst.Module, stmt: cst.CSTNode, chunk: str, offset: int
) -> None:
    for candidate in (chunk, _strip_new_syntax(module, stmt)):
        if candidate is None:
            continue
        try:
            tree = ast.parse(candidate)
        except SyntaxError:
            continue
        ast.increment_lineno(tree, offset)
        gatherer.visit_statements(tree.body)
        return
    _summarise_from_cst(gatherer, stmt, offset, chunk)


def _strip_new_syntax(module: cst.Module, stmt: cst.CSTNode) -> str | None:
    stripped = stmt.visit(_StripNewSyntax())
    if stripped is stmt or not isinstance(stripped, cst.CSTNode):
        return None
    return module.code_for_node(stripped)


class _StripNewSyntax(cst.CSTTransformer):
    """Rewrite syntax newer than this interpreter into older syntax binding the same
    names on the same lines: `class Box[T]:` → `class Box:`, `type X = v` →
    `X: TypeAlias = v`, PEP 701/750 `f"{d["k"]}"` → `(d["k"],)`, PEP 758
    `except A, B:` → `except (A, B):`."""

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        return updated.with_changes(type_parameters=None)

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        return updated.with_changes(type_parameters=None)

    def leave_TypeAlias(self, original: cst.TypeAlias, updated: cst.TypeAlias) -> cst.AnnAssign:
        # `X: TypeAlias = v` keeps the kind recognisable after the round trip through `ast`.
        return cst.AnnAssign(
            target=updated.name,
            annotation=cst.Annotation(cst.Name("TypeAlias")),
            value=updated.value,
        )

    def leave_FormattedString(
        self, original: cst.FormattedString, updated: cst.FormattedString
    ) -> cst.BaseExpression:
        return _as_tuple(updated, _replacement_fields(updated.parts))

    def leave_TemplatedString(
        self, original: cst.TemplatedString, updated: cst.TemplatedString
    ) -> cst.BaseExpression:
        return _as_tuple(updated, _replacement_fields(updated.parts))

    def leave_ExceptHandler(
        self, original: cst.ExceptHandler, updated: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        if isinstance(updated.type, cst.Tuple) and not updated.type.lpar:
            parenthesized = updated.type.with_changes(
                lpar=[cst.LeftParen()], rpar=[cst.RightParen()]
            )
            return updated.with_changes(type=parenthesized)
        return updated


def _replacement_fields(parts: Sequence[cst.CSTNode]) -> list[cst.BaseExpression]:
    """The expressions of an f-/t-string's `{...}` fields, format specs included."""
    found: list[cst.BaseExpression] = []
    for part in parts:
        if isinstance(part, (cst.FormattedStringExpression, cst.TemplatedStringExpression)):
            found.append(part.expression)
            found.extend(_replacement_fields(part.format_spec or ()))
    return found


def _as_tuple(string: cst.CSTNode, fields: list[cst.BaseExpression]) -> cst.BaseExpression:
    """`(field, ...)`, padded with line breaks inside the parentheses so that every
    statement after it keeps its line number."""
    empty = cst.Module([])
    lines = empty.code_for_node(string).count("\n")
    elements = [cst.Element(f, comma=cst.Comma()) for f in fields]
    tuple_node = cst.Tuple(elements) if elements else None
    used = empty.code_for_node(tuple_node).count("\n") if tuple_node else 0
    padding = max(lines - used, 0)
    whitespace: cst.BaseParenthesizableWhitespace = cst.SimpleWhitespace("")
    if padding:
        whitespace = cst.ParenthesizedWhitespace(
            empty_lines=[cst.EmptyLine(indent=False)] * (padding - 1),
            indent=False,
        )
    parens = {"lpar": [cst.LeftParen(whitespace_after=whitespace)], "rpar": [cst.RightParen()]}
    if tuple_node is None:
        return cst.SimpleString('""', **parens)  # type: ignore[arg-type]
    return tuple_node.with_changes(**parens)


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


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
