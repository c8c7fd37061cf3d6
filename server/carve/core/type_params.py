"""PEP 695 syntax blanked out so that an older interpreter's `ast` reads the file.

Python 3.11's `ast` rejects `class Box[T]:`, `def first[T](…)` and `type X = …`. Their
older spelling binds the same names on the same lines: replacing the `[…]` type
parameters with spaces, and `type X` with `X` and spaces (the statement keeps its
indentation), keeps every line and column (a non-ASCII character becomes as many spaces
as its UTF-8 bytes, since `ast` columns count bytes).
That costs one tokenizer pass instead of a LibCST parse (~10x slower than `ast`). Any
other new syntax (PEP 701 f-strings, PEP 758 `except A, B:`) still fails to parse
afterwards, and the caller falls back to LibCST.

The patterns are unambiguous: `class NAME [`, `def NAME [` and `type NAME [`/`type NAME =`
at the start of a statement are all syntax errors in older Python.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

_STATEMENT_START = frozenset({tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT})
_SKIPPED = frozenset({tokenize.NL, tokenize.COMMENT})
_OPENING, _CLOSING = "([{", ")]}"


@dataclass(frozen=True)
class TypeAliasStatement:
    """`type NAME = …`, read as `NAME      = …`: the caller restores its kind, as
    `NAME: TypeAlias = …` (LibCST's rewrite) has it."""

    line: int
    column: int  # of `type`, in UTF-8 bytes like `ast`
    name: str


@dataclass(frozen=True)
class _Span:
    """Tokens `first` to `last` become spaces, after `keep` (`type X` → `X     `); each
    line but the last ends with a `\\` continuation instead."""

    first: tokenize.TokenInfo
    last: tokenize.TokenInfo
    keep: str = ""


@dataclass(frozen=True)
class Blanked:
    text: str
    aliases: tuple[TypeAliasStatement, ...]


def blank_type_parameters(text: str) -> Blanked | None:
    """`text` with PEP 695 syntax replaced by spaces, or None when there is none (or the
    tokenizer of this interpreter cannot read the file)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    spans: list[_Span] = []
    aliases: list[TypeAliasStatement] = []
    at_start = True
    for position, token in enumerate(tokens):
        if token.type in _SKIPPED:
            continue
        starts = at_start
        at_start = token.type in _STATEMENT_START or token.string == ";"
        if token.type != tokenize.NAME or position + 2 >= len(tokens):
            continue
        name, after = tokens[position + 1], tokens[position + 2]
        if name.type != tokenize.NAME or after.type != tokenize.OP:
            continue
        if token.string in ("class", "def") and after.string == "[":
            spans.append(_Span(after, _closing(tokens, position + 2)))
        elif token.string == "type" and starts and after.string in ("[", "="):
            spans.append(_Span(token, name, keep=name.string))
            aliases.append(TypeAliasStatement(token.start[0], _byte_column(token), name.string))
            if after.string == "[":
                spans.append(_Span(after, _closing(tokens, position + 2)))
    if not spans:
        return None
    return Blanked(_blank(text, spans), tuple(aliases))


def _closing(tokens: list[tokenize.TokenInfo], opening: int) -> tokenize.TokenInfo:
    depth = 0
    for token in tokens[opening:]:
        if token.type == tokenize.OP and token.string in _OPENING:
            depth += 1
        elif token.type == tokenize.OP and token.string in _CLOSING:
            depth -= 1
            if depth == 0:
                return token
    return tokens[-1]  # unbalanced: the tokenizer would have failed first


def _byte_column(token: tokenize.TokenInfo) -> int:
    return len(token.line[: token.start[1]].encode("utf-8"))


def _blank(text: str, spans: list[_Span]) -> str:
    lines = io.StringIO(text).readlines()  # split exactly as the tokenizer read them
    for span in spans:
        (start_line, start_column), (end_line, end_column) = span.first.start, span.last.end
        for number in range(start_line, end_line + 1):
            line = lines[number - 1]
            body = line.rstrip("\r\n")
            begin = start_column if number == start_line else 0
            end = end_column if number == end_line else len(body)
            keep = span.keep if number == start_line else ""
            spaces = " " * (len(body[begin:end].encode("utf-8")) - len(keep.encode("utf-8")))
            if number < end_line:
                # Parameters over several lines: a continuation keeps one logical line.
                spaces = spaces[:-1] + "\\"
            lines[number - 1] = body[:begin] + keep + spaces + body[end:] + line[len(body) :]
    return "".join(lines)
