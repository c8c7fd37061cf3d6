"""Syntax newer than this interpreter's `ast`, rewritten for it statement by statement.

LibCST parses every Python version; each top-level statement goes back to `ast` on its
own, and one that `ast` rejects is first rewritten into older syntax binding the same
names on the same lines. Shared by the index (gather_cst) and the refactors.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst


def older_ast(
    module: cst.Module, stmt: cst.CSTNode, chunk: str, line_offset: int
) -> ast.Module | None:
    """`chunk` (the code of `stmt`) as an `ast` tree at its real line numbers, rewritten
    into older syntax if needed; None when even that fails."""
    for candidate in (chunk, _strip(module, stmt)):
        if candidate is None:
            continue
        try:
            tree = ast.parse(candidate)
        except SyntaxError:
            continue
        ast.increment_lineno(tree, line_offset)
        return tree
    return None


def parse_with_libcst(text: str) -> ast.Module:
    """A whole module as an `ast` tree; raises libcst.ParserSyntaxError on invalid code
    and SyntaxError when a statement cannot be rewritten."""
    module = cst.parse_module(text)
    body: list[ast.stmt] = []
    offset = len(module.header)  # comment/blank lines before the first statement
    for stmt in module.body:
        chunk = module.code_for_node(stmt)
        tree = older_ast(module, stmt, chunk, offset)
        if tree is None:
            raise SyntaxError("syntax this interpreter cannot rewrite", ("", offset + 1, 0, ""))
        body.extend(tree.body)
        offset += chunk.count("\n")
    return ast.Module(body=body, type_ignores=[])


def _strip(module: cst.Module, stmt: cst.CSTNode) -> str | None:
    stripped = stmt.visit(OlderSyntaxTransformer())
    if stripped is stmt or not isinstance(stripped, cst.CSTNode):
        return None
    return module.code_for_node(stripped)


class OlderSyntaxTransformer(cst.CSTTransformer):
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
