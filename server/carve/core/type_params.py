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

import ast
import io
import re
import sys
import tokenize
from bisect import bisect_right
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
    """From `start` to `end` ((line, column) in code points, as the tokenizer counts
    them) becomes spaces, after `keep` (`type X` → `X     `); each line but the last
    ends with a `\\` continuation instead."""

    start: tuple[int, int]
    end: tuple[int, int]
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
            spans.append(_Span(after.start, _closing(tokens, position + 2).end))
        elif token.string == "type" and starts and after.string in ("[", "="):
            spans.append(_Span(token.start, name.end, keep=name.string))
            aliases.append(TypeAliasStatement(token.start[0], _byte_column(token), name.string))
            if after.string == "[":
                spans.append(_Span(after.start, _closing(tokens, position + 2).end))
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
        (start_line, start_column), (end_line, end_column) = span.start, span.end
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


# What the tokenizer pass looks for, found in the text instead (~100x cheaper): `class`,
# `def` or `type`, a name, then `[` (or `=` after `type`), separated as tokens can be
# (spaces, tabs, form feeds, backslash continuations). Every span the tokenizer pass
# would blank starts at a match; a match may also sit in a string or a comment, or be a
# `type` that starts no statement, which `blank_by_pattern`'s caller rules out.
_SEPARATOR = r"(?:[ \t\f]|\\\n)"
_CANDIDATE = re.compile(rf"(class|def|type){_SEPARATOR}+(\w+){_SEPARATOR}*([\[=])")
_QUOTES_OR_COMMENT = re.compile(r"['\"#]")
_ASYNC_DEF = re.compile(rb"async[ \t\f]+def")
_BRACKET = re.compile(r"[\[\](){}]")


@dataclass(frozen=True)
class PatternBlanked:
    """`blanked` as `blank_type_parameters` would make it, if each of `expected` holds
    in the syntax tree of `blanked.text` (`blanked_tree_matches`): (keyword, line,
    UTF-8 column of the keyword, name) of every match of the pattern."""

    blanked: Blanked
    expected: tuple[tuple[str, int, int, str], ...]


def may_have_type_parameters(text: str) -> bool:
    """False when the tokenizer pass would certainly blank nothing: no match of the
    pattern in a text without `\r` (whose continuations the pattern does not know)."""
    return "\r" in text or sys.version_info >= (3, 12) or _CANDIDATE.search(text) is not None


def blank_by_pattern(text: str) -> PatternBlanked | None:
    """`blank_type_parameters` without the tokenizer, or None when it cannot stand in:
    no match, `\\r` in the text (lines are counted differently), a string or a comment
    between a match's brackets (the brackets may not pair as tokens do), brackets that
    do not close, a `type` match after something other than a line break or `;`.

    Proof obligation of the caller: every match is a real class, def or type-alias
    statement in the tree parsed from `blanked.text` (`blanked_tree_matches`). Then each
    match is a span the tokenizer pass blanks too, and every span it blanks is a
    match: the same text, aliases and columns."""
    if "\r" in text or sys.version_info >= (3, 12):
        return None
    matches = list(_CANDIDATE.finditer(text))
    if not matches:
        return None
    line_starts = [0]
    line_starts.extend(m.end() for m in re.finditer("\n", text))

    def position(offset: int) -> tuple[int, int]:
        line = bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1]

    spans: list[_Span] = []
    aliases: list[TypeAliasStatement] = []
    expected: list[tuple[str, int, int, str]] = []
    for match in matches:
        keyword, name, after = match.groups()
        if keyword != "type" and after == "=":
            continue  # `class X =`: nothing the tokenizer pass blanks either
        line, column = position(match.start())
        start_of_line = text[line_starts[line - 1] : match.start()]
        byte_column = len(start_of_line.encode("utf-8"))
        expected.append((keyword, line, byte_column, name))
        if keyword == "type":
            if not _starts_statement(text, match.start()):
                return None  # after `if x:` on its line: the tokenizer pass leaves it
            spans.append(_Span((line, column), position(match.end(2)), keep=name))
            aliases.append(TypeAliasStatement(line, byte_column, name))
        if after == "[":
            closing = _closing_offset(text, match.end() - 1)
            if closing is None or _QUOTES_OR_COMMENT.search(text, match.end(), closing):
                return None
            spans.append(_Span(position(match.end() - 1), position(closing)))
    return PatternBlanked(Blanked(_blank(text, spans), tuple(aliases)), tuple(expected))


def _starts_statement(text: str, offset: int) -> bool:
    """Whether the token before `offset` is one after which the tokenizer pass takes a
    `type` for a statement's first word: none, a line break or `;` (not `:`). Only
    whitespace and backslash continuations are skipped: a match is a real statement
    (`blanked_tree_matches`), so a line break here ends a logical line."""
    while offset > 0:
        before = text[offset - 1]
        if before in " \t\f":
            offset -= 1
        elif before == "\n":
            if offset < 2 or text[offset - 2] != "\\":
                return True
            offset -= 2
        else:
            return before == ";"
    return True


def _closing_offset(text: str, opening: int) -> int | None:
    """The offset just after the bracket closing the one at `opening`."""
    depth = 0
    for match in _BRACKET.finditer(text, opening):
        if match.group() in _OPENING:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def blanked_tree_matches(tree: ast.Module, pattern: PatternBlanked) -> bool:
    """Every match of `blank_by_pattern` is the keyword of a statement of `tree`: a
    class or def of that name, or (`type X`, now `X`) an assignment to that one name
    at the keyword's column."""
    found: set[tuple[str, int, int, str]] = set()
    wanted = {line for _, line, _, _ in pattern.expected}
    lines: list[bytes] | None = None
    for node in _statements(tree.body):
        if getattr(node, "lineno", 0) not in wanted:  # `case` clauses have no position
            continue
        if isinstance(node, ast.ClassDef):
            found.add(("class", node.lineno, node.col_offset, node.name))
        elif isinstance(node, ast.FunctionDef):
            found.add(("def", node.lineno, node.col_offset, node.name))
        elif isinstance(node, ast.AsyncFunctionDef):
            if lines is None:
                lines = pattern.blanked.text.encode("utf-8").split(b"\n")
            at = _ASYNC_DEF.match(lines[node.lineno - 1], node.col_offset)
            if at is not None:
                found.add(("def", node.lineno, at.end() - 3, node.name))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.col_offset == node.col_offset:
                found.add(("type", node.lineno, node.col_offset, target.id))
    return found.issuperset(pattern.expected)


_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")
# Per node type, its fields in `_STATEMENT_LISTS` (statements nest only there).
_NESTED: dict[type, tuple[str, ...]] = {}


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Every statement at any depth (and `except`/`case` clauses, which hold some)."""
    todo: list[ast.stmt] = list(body)
    nested = _NESTED
    for node in todo:
        kind = type(node)
        fields = nested.get(kind)
        if fields is None:
            fields = nested[kind] = tuple(f for f in _STATEMENT_LISTS if f in kind._fields)
        for field in fields:
            todo += getattr(node, field)
    return todo
