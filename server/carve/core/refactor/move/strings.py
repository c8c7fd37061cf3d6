"""Text that names a moved symbol by its old dotted path (`mock.patch("apps.billing.
models.Invoice")`, settings strings, comments), and moved code that names its old
module (`Q.deconstruct()` comparing `__module__` with "django.db.models.query_utils"):
reported, never rewritten. Lines refer to the files as the move writes them."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

from carve.core.refactor.move.context import MoveContext

_TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", -1)}


def string_references(ctx: MoveContext) -> list[str]:
    old = ctx.source.name
    names = "|".join(re.escape(n) for n in sorted(ctx.requested, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.]){re.escape(old)}\.({names})(?!\w)")
    needle = old.encode()
    found: list[str] = []
    for path in _written_files(ctx):
        if ctx.edits.touched(path):
            text = ctx.edits.result_of(path)
        elif needle not in ctx.edits.raw(path):
            continue
        else:
            text = ctx.edits.text(path)
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        numbers = [text.count("\n", 0, match.start()) + 1 for match in matches]
        lines = _text_token_lines(text, max(numbers))
        for match, line in zip(matches, numbers, strict=True):
            if lines is not None and line not in lines:
                continue  # code (`apps.billing.models.Invoice` attribute access)
            found.append(
                f"{ctx.relative_path(path)}:{line}: `{old}.{match.group(1)}` is named "
                f"in a string or comment; it still resolves through the re-export, but "
                f"`mock.patch` and the like must now target `{ctx.destination}.{match.group(1)}`"
            )
    return found + list(_old_module_names(ctx))


def _written_files(ctx: MoveContext) -> list[Path]:
    paths = {module.path for module in ctx.index.modules()}
    paths.add(ctx.destination_path)
    return sorted(p for p in paths if not ctx.edits.deleted(p))


_IDENTITY = ("__module__", "__qualname__")


def _old_module_names(ctx: MoveContext) -> Iterator[str]:
    """Moved code that reads `__module__`/`__qualname__` or names the source module in
    a string: both change meaning once the code lives in the destination."""
    old, path = ctx.source.name, ctx.destination_path
    text = ctx.edits.result_of(path)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    where = ctx.relative_path(path)
    for statement in tree.body:
        if not ctx.moved.intersection(_defined(statement)):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute) and node.attr in _IDENTITY:
                yield (
                    f"{where}:{node.lineno}: the moved code reads `{node.attr}`, which is now "
                    f"`{ctx.destination}`…, not `{old}`…; check what compares it"
                )
            elif (value := _module_string(node, old)) is not None:
                line = getattr(node, "lineno", 0)
                yield (
                    f'{where}:{line}: the moved code names its old module in "'
                    f'{value}"; it now lives in `{ctx.destination}`'
                )


def _module_string(node: ast.AST, module: str) -> str | None:
    """A string naming `module` ("django.db.models.query_utils"), whole or as the
    prefix of a dotted path."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return None
    value = node.value
    return value if value == module or value.startswith(module + ".") else None


def _defined(statement: ast.stmt) -> set[str]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    if isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    return {t.id for t in targets if isinstance(t, ast.Name)}


def _text_token_lines(text: str, last: int) -> set[int] | None:
    """Lines up to `last` covered by strings and comments (None when the file does not
    tokenize that far): tokenizing stops there, the rest of a long file is not needed."""
    lines: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.start[0] > last:
                break
            if token.type in _TEXT_TOKENS:
                lines.update(range(token.start[0], token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return None
    return lines
