"""Syntax newer than this interpreter's `ast`, rewritten for it statement by statement.

LibCST parses every Python version; each top-level statement goes back to `ast` on its
own, and one that `ast` rejects is first rewritten into older syntax binding the same
names on the same lines. Shared by the index (gather_cst) and the refactors.
"""

from __future__ import annotations

import ast
import re
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


# A t-string prefix (PEP 750) where a string starts, not inside a word or after a quote.
_TEMPLATE_PREFIX = re.compile(r"(?<![\w'\"\\])([rR]?)([tT])(?=[rR]?['\"])")


def parse_module(text: str) -> cst.Module:
    """`cst.parse_module`, but LibCST 1.9 rejects two valid template-string forms:
    `tr"…"` (it knows only `rt"…"`) and `t"a" t"b"` (a validation bug). Those files are
    read again with `f` for `t`: the same lines, columns and names, and every
    template-string field still an expression. Raises libcst.ParserSyntaxError."""
    try:
        return cst.parse_module(text)
    except (cst.ParserSyntaxError, cst.CSTValidationError, cst.CSTLogicError) as exc:
        as_f_strings = _TEMPLATE_PREFIX.sub(_as_f_prefix, text)
        if as_f_strings == text:
            raise
        try:
            return cst.parse_module(as_f_strings)
        except cst.ParserSyntaxError:
            raise exc from None


def _as_f_prefix(match: re.Match[str]) -> str:
    return match.group(1) + ("f" if match.group(2) == "t" else "F")


def parse_with_libcst(text: str) -> ast.Module:
    """A whole module as an `ast` tree; raises libcst.ParserSyntaxError on invalid code
    and SyntaxError when a statement cannot be rewritten."""
    module = parse_module(text)
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
        if updated.type_parameters is None:
            return updated
        lines = _type_parameter_lines(updated)
        stripped = updated.with_changes(
            type_parameters=None, whitespace_after_type_parameters=cst.SimpleWhitespace("")
        )
        if not lines:
            return stripped
        # The lines the parameters spanned move inside the parentheses of the bases.
        if isinstance(updated.lpar, cst.LeftParen):
            lpar = updated.lpar.with_changes(
                whitespace_after=_pad(updated.lpar.whitespace_after, lines)
            )
            return stripped.with_changes(lpar=lpar)
        lpar = cst.LeftParen(whitespace_after=_pad(cst.SimpleWhitespace(""), lines))
        return stripped.with_changes(lpar=lpar, rpar=cst.RightParen())

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if updated.type_parameters is None:
            return updated
        # The lines the parameters spanned move inside the parameter list.
        padded = _pad(updated.whitespace_before_params, _type_parameter_lines(updated))
        return updated.with_changes(
            type_parameters=None,
            whitespace_after_type_parameters=cst.SimpleWhitespace(""),
            whitespace_before_params=padded,
        )

    def leave_TypeAlias(self, original: cst.TypeAlias, updated: cst.TypeAlias) -> cst.AnnAssign:
        # `X: TypeAlias = v` keeps the kind recognisable after the round trip through `ast`.
        alias = cst.AnnAssign(
            target=updated.name,
            annotation=cst.Annotation(cst.Name("TypeAlias")),
            value=updated.value,
            semicolon=updated.semicolon,
        )
        lines = _newlines(updated) - _newlines(alias)
        if not lines:
            return alias
        # `X: (⏎⏎TypeAlias) = v`: the value stays on the lines it had.
        name = cst.Name(
            "TypeAlias",
            lpar=[cst.LeftParen(whitespace_after=_pad(cst.SimpleWhitespace(""), lines))],
            rpar=[cst.RightParen()],
        )
        return alias.with_changes(annotation=cst.Annotation(name))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        # Handled whole on leave: LibCST refuses to rebuild a concatenation whose
        # f-string part became a parenthesised tuple.
        return False

    def leave_ConcatenatedString(
        self, original: cst.ConcatenatedString, updated: cst.ConcatenatedString
    ) -> cst.BaseExpression:
        parts = _concatenated_parts(original)
        if all(isinstance(part, cst.SimpleString) for part in parts):
            return updated
        fields = [
            field.visit(self)
            for part in parts
            if isinstance(part, (cst.FormattedString, cst.TemplatedString))
            for field in _replacement_fields(part.parts)
        ]
        return _as_tuple(original, [f for f in fields if isinstance(f, cst.BaseExpression)])

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


def _concatenated_parts(node: cst.ConcatenatedString) -> list[cst.BaseString]:
    """`"a" f"{b}" t"c"` → its three strings (LibCST nests them to the right)."""
    parts: list[cst.BaseString] = []
    right: cst.BaseString = node
    while isinstance(right, cst.ConcatenatedString):
        parts.append(right.left)
        right = right.right
    parts.append(right)
    return parts


def _newlines(node: cst.CSTNode) -> int:
    return cst.Module([]).code_for_node(node).count("\n")


def _type_parameter_lines(node: cst.ClassDef | cst.FunctionDef) -> int:
    """Line breaks inside `[...]` and in the whitespace after it (a `\\` continuation)."""
    assert node.type_parameters is not None
    after = node.whitespace_after_type_parameters
    return _newlines(node.type_parameters) + _newlines(after)


def _pad(
    whitespace: cst.BaseParenthesizableWhitespace, lines: int
) -> cst.BaseParenthesizableWhitespace:
    """`whitespace` (just inside an opening parenthesis) with `lines` more line breaks."""
    if not lines:
        return whitespace
    blank = [cst.EmptyLine(indent=False)]
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(empty_lines=blank * lines + list(whitespace.empty_lines))
    assert isinstance(whitespace, cst.SimpleWhitespace)
    return cst.ParenthesizedWhitespace(
        empty_lines=blank * (lines - 1), indent=False, last_line=whitespace
    )


def _as_tuple(string: cst.CSTNode, fields: list[cst.BaseExpression]) -> cst.BaseExpression:
    """`(field, ...)`, padded with line breaks inside the parentheses so that every
    statement after it keeps its line number."""
    elements = [cst.Element(f, comma=cst.Comma()) for f in fields]
    tuple_node = cst.Tuple(elements) if elements else None
    used = _newlines(tuple_node) if tuple_node else 0
    padding = max(_newlines(string) - used, 0)
    whitespace = _pad(cst.SimpleWhitespace(""), padding)
    parens = {"lpar": [cst.LeftParen(whitespace_after=whitespace)], "rpar": [cst.RightParen()]}
    if tuple_node is None:
        return cst.SimpleString('""', **parens)  # type: ignore[arg-type]
    return tuple_node.with_changes(**parens)
