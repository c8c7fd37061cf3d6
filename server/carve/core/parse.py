"""Text → ModuleSummary: `ast` first, LibCST for syntax newer than this interpreter."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import replace

from carve.core.gather_ast import GatherSummary
from carve.core.source import SourceError, decode, line_count
from carve.core.summary import DefKind, Import, ModuleSummary, Suppression
from carve.core.type_params import (
    Blanked,
    blank_by_pattern,
    blank_type_parameters,
    blanked_tree_matches,
    may_have_type_parameters,
)

# Files above this size are counted but not parsed: a generated 20 MB module would cost
# seconds and ~1 GB of syntax tree for names nobody imports by hand.
MAX_PARSE_BYTES = 5_000_000

# Python's tokenizer ends a line only here; `str.splitlines()` also splits on \f, \v,
# \x1c-\x1e, \x85 and U+2028/2029, which may sit in comments and strings.
_LINE_END = re.compile(r"\r\n?|\n")
_SUPPRESSION = re.compile(r"#\s*carve:\s*ignore(?:\[(?P<rules>[^\]]*)\])?(?P<reason>[^#]*)")


def summarize_bytes(data: bytes) -> ModuleSummary:
    """Never raises: a file carve cannot handle becomes a `parse-error` or, for a bug in
    carve itself, an `internal-error` summary, and the rest of the workspace is checked."""
    try:
        text = decode(data)
    except SourceError as exc:
        summary = ModuleSummary(line_count=data.count(b"\n"))
        summary.parse_error = (exc.line, 0, exc.message)
        return summary
    except Exception as exc:  # a bug, not the file: one finding instead of an aborted run
        return internal_error_summary(exc, "reading", data.count(b"\n"))
    return summarize_text(text)


def summarize_text(text: str) -> ModuleSummary:
    """Never raises (see `summarize_bytes`)."""
    try:
        return _summarize(text)
    except RecursionError:  # `ast` on `1+1+…` thousands of terms deep, or a gatherer on it
        summary = _too_deeply_nested()
        summary.line_count = line_count(text)
        return summary
    except Exception as exc:
        return internal_error_summary(exc, "summarising", line_count(text))


def internal_error_summary(exc: Exception, doing: str, lines: int) -> ModuleSummary:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    summary = ModuleSummary(line_count=lines, internal_error=True)
    message = f"carve: internal error while {doing} this file: {detail}; please report it"
    summary.parse_error = (1, 0, message)
    return summary


def _summarize(text: str) -> ModuleSummary:
    if len(text) > MAX_PARSE_BYTES:
        summary = ModuleSummary(line_count=line_count(text), has_getattr=True)
        size = len(text.encode("utf-8", "surrogatepass")) / 1_000_000
        limit = MAX_PARSE_BYTES // 1_000_000
        message = f"not indexed: {size:.1f} MB is over the {limit} MB parse limit (generated?)"
        summary.parse_error = (1, 0, message)
        return summary
    summary = _parse(text)
    summary.line_count = line_count(text)
    if "carve:" in text:
        summary.suppressions = _suppressions(text)
    if not text.isascii():
        _columns_to_code_points(summary, text)
    return summary


def _parse(text: str) -> ModuleSummary:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes is noise here
            tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        return _parse_blanked(text) or _parse_newer_syntax(text, exc)
    except MemoryError:  # before 3.12, CPython's parser stack overflow (`lambda: ` * 3000)
        return _too_deeply_nested()
    gatherer = GatherSummary()
    gatherer.visit_statements(tree.body)
    return gatherer.finish()


def _parse_blanked(text: str) -> ModuleSummary | None:
    """PEP 695 syntax read by this `ast` with its brackets and `type` keywords blanked
    (type_params.py); None when that is not enough (other new syntax: LibCST's turn).
    The result equals the LibCST path's, which rewrites `type X = v` as
    `X: TypeAlias = v`: the alias's kind and the read of `TypeAlias` are restored."""
    parsed = _blank_and_parse(text)
    if parsed is None:
        return None
    blanked, tree = parsed
    gatherer = GatherSummary()
    gatherer.visit_statements(tree.body)
    gatherer.add_used(_blanked_reads(text, blanked.text))
    if blanked.aliases:
        gatherer.add_used(["TypeAlias"])
    summary = gatherer.finish()
    for alias in blanked.aliases:
        found = summary.definitions.get(alias.name)
        if found and (found.line, found.column) == (alias.line, alias.column):
            summary.definitions[alias.name] = replace(found, kind=DefKind.TYPE_ALIAS)
    return summary


def _blanked_reads(text: str, blanked: str) -> set[str]:
    """Names the blanked brackets read (`Base` in `class C[T: Base]`): on each changed
    line, the identifiers that blanking removed (the parameters' own names too, harmless:
    only imported names are kept as used)."""
    reads: set[str] = set()
    for before, after in zip(text.splitlines(), blanked.splitlines(), strict=False):
        if before != after:
            reads.update(set(_IDENTIFIER.findall(before)) - set(_IDENTIFIER.findall(after)))
    return reads


_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def _blank_and_parse(text: str) -> tuple[Blanked, ast.Module] | None:
    """The blanked text and its tree. The pattern pass stands in for the tokenizer pass
    (~20x slower) when the tree proves it found the same spans; otherwise, the tokenizer
    pass decides. No pattern match means no span at all."""
    if not may_have_type_parameters(text):
        return None  # the tokenizer pass would find nothing to blank
    pattern = blank_by_pattern(text)
    if pattern is not None:
        tree = _parse_or_none(pattern.blanked.text)
        if tree is not None and blanked_tree_matches(tree, pattern):
            return pattern.blanked, tree
    blanked = blank_type_parameters(text)
    if blanked is None:
        return None
    tree = _parse_or_none(blanked.text)
    return None if tree is None else (blanked, tree)


def _parse_or_none(text: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, MemoryError):
        return None


def _parse_newer_syntax(text: str, ast_error: Exception) -> ModuleSummary:
    import libcst  # deferred: only files `ast` rejects pay for it

    from carve.core.gather_cst import gather_with_libcst

    try:
        return gather_with_libcst(text)
    except libcst.ParserSyntaxError as exc:
        # `ast`'s messages read better (LibCST often stops a line later), but where `ast`
        # stopped well before LibCST, at syntax merely newer than this interpreter,
        # LibCST's position is the real error.
        summary = ModuleSummary()
        ast_line = ast_error.lineno if isinstance(ast_error, SyntaxError) else None
        if isinstance(ast_error, SyntaxError) and ast_line and abs(ast_line - exc.raw_line) <= 1:
            message = ast_error.msg
            line, column = ast_line, max((ast_error.offset or 1) - 1, 0)
        else:
            message = re.sub(r"^parser error: (error at \d+:\d+: )?", "", exc.message)
            line, column = exc.raw_line, exc.raw_column
        summary.parse_error = (line, column, f"syntax error: {message}")
        return summary
    except RecursionError:
        return _too_deeply_nested()


def _too_deeply_nested() -> ModuleSummary:
    summary = ModuleSummary()
    summary.parse_error = (1, 0, "syntax error: too deeply nested to parse")
    return summary


def _suppressions(text: str) -> list[Suppression]:
    found: list[Suppression] = []
    for number, column, comment in _carve_comments(text):
        match = _SUPPRESSION.search(comment)
        if match is None:
            continue
        rules_text = match.group("rules")
        rules = tuple(r.strip() for r in rules_text.split(",") if r.strip()) if rules_text else ()
        reason = match.group("reason").strip()
        found.append(Suppression(number, rules, reason, column + match.start()))
    return found


def _carve_comments(text: str) -> list[tuple[int, int, str]]:
    """(line, column, comment text) of comments mentioning `carve:`; string literals that
    merely contain the words are not comments."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        return [
            (token.start[0], token.start[1], token.string)
            for token in tokens
            if token.type == tokenize.COMMENT and "carve:" in token.string
        ]
    except (tokenize.TokenError, SyntaxError):  # syntax newer than this tokenizer
        return [
            (number, line.index("#"), line[line.index("#") :])
            for number, line in enumerate(_lines(text), start=1)
            if "carve:" in line and "#" in line
        ]


def _lines(text: str) -> list[str]:
    # `str.split` is 5x faster than the regular expression, and most files have no \r.
    return _LINE_END.split(text) if "\r" in text else text.split("\n")


def _columns_to_code_points(summary: ModuleSummary, text: str) -> None:
    """`ast` columns are UTF-8 byte offsets; the rest of carve counts code points. Only
    what sits on a non-ASCII line changes (most of a non-ASCII file is ASCII)."""
    lines = _lines(text)
    wide = {number for number, content in enumerate(lines, start=1) if not content.isascii()}

    def fix(line: int, column: int) -> int:
        if line in wide:
            content = lines[line - 1]
            return len(content.encode("utf-8")[:column].decode("utf-8", "replace"))
        return column

    summary.imports = [
        _fix_import(imp, fix) if not wide.isdisjoint(range(imp.line, imp.end_line + 1)) else imp
        for imp in summary.imports
    ]
    for name, definition in summary.definitions.items():
        if definition.line in wide:
            summary.definitions[name] = replace(
                definition, column=fix(definition.line, definition.column)
            )


def _fix_import(imp: Import, fix: object) -> Import:
    convert = fix  # typed loosely to keep the closure simple
    assert callable(convert)
    names = tuple(
        replace(n, column=convert(n.line, n.column), end_column=convert(n.line, n.end_column))
        for n in imp.names
    )
    return replace(
        imp,
        names=names,
        column=convert(imp.line, imp.column),
        end_column=convert(imp.end_line, imp.end_column),
    )
