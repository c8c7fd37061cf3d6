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

from carve.core.older_syntax import parse_with_libcst
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
        return parse_with_libcst(text)
    except (cst.ParserSyntaxError, SyntaxError, ValueError, RecursionError):
        line = getattr(ast_error, "lineno", None) or 1
        message = getattr(ast_error, "msg", None) or str(ast_error)
        raise MoveError(f"cannot parse this file: {message}", path, line) from None
