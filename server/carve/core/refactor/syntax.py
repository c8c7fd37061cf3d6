"""Parsing one file for a refactor: Python's `ast`, with LibCST for newer syntax.

On an interpreter whose `ast` cannot read the file (PEP 695 on Python 3.11), LibCST
parses it and each top-level statement is handed back to `ast` with its type
parameters dropped, at its real line numbers: the tree is then good for names and
line spans (columns on lines with type parameters may be off).
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import libcst as cst

from carve.core.refactor.request import MoveError


def parse_tree(text: str, path: Path) -> ast.Module:
    """The module's syntax tree; MoveError (with the line) when it is not valid Python."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        ast_error = exc
    try:
        return _parse_with_libcst(text)
    except (cst.ParserSyntaxError, SyntaxError, ValueError, RecursionError):
        line = getattr(ast_error, "lineno", None) or 1
        message = getattr(ast_error, "msg", None) or str(ast_error)
        raise MoveError(f"cannot parse this file: {message}", path, line) from None


def _parse_with_libcst(text: str) -> ast.Module:
    module = cst.parse_module(text)
    body: list[ast.stmt] = []
    offset = len(module.header)
    for stmt in module.body:
        chunk = module.code_for_node(stmt)
        try:
            tree = ast.parse(chunk)
        except SyntaxError:
            older = stmt.visit(OlderSyntaxTransformer())
            assert isinstance(older, cst.CSTNode)
            tree = ast.parse(module.code_for_node(older))
        ast.increment_lineno(tree, offset)
        body.extend(tree.body)
        offset += chunk.count("\n")
    return ast.Module(body=body, type_ignores=[])


class OlderSyntaxTransformer(cst.CSTTransformer):
    """Drops PEP 695 type parameters; names and line numbers stay the same."""

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        return updated.with_changes(type_parameters=None)

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        return updated.with_changes(type_parameters=None)

    def leave_TypeAlias(self, original: cst.TypeAlias, updated: cst.TypeAlias) -> cst.Assign:
        return cst.Assign(targets=[cst.AssignTarget(updated.name)], value=updated.value)
