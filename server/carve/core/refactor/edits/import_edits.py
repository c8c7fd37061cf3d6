"""Editing one import statement with LibCST, at statement granularity.

Importers are never parsed whole: the index knows where each import statement is, so
only that statement's text goes through `libcst.parse_statement`, and the rendered
result is spliced back. Formatting and comments of the names that stay survive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import libcst as cst

from carve.core.refactor.edits.import_order import Names, member_key
from carve.core.refactor.edits.project_style import ProjectStyle
from carve.core.refactor.edits.references import wrapped
from carve.core.refactor.edits.splices import FileEdit, LineIndex
from carve.core.summary import Import, ImportContext

AnyImport = cst.Import | cst.ImportFrom
_EMPTY = cst.Module(body=[])


@dataclass(frozen=True, slots=True)
class Located:
    """An import statement's exact text and offsets in its file."""

    statement: Import
    start: int
    end: int
    text: str

    def node(self) -> AnyImport:
        return parse_import(self.text)


class StaleIndexError(ValueError):
    """The file no longer matches the index (it changed after indexing)."""


def locate(lines: LineIndex, statement: Import) -> Located:
    start = lines.offset(statement.line, statement.column)
    end = lines.offset(statement.end_line, statement.end_column)
    text = lines.text[start:end]
    keyword = "from" if statement.from_import else "import"
    ends = text.endswith(")") or text.endswith(_last_word(statement))
    if not text.startswith(keyword) or not ends:
        raise StaleIndexError(f"line {statement.line} is not the import the index knows")
    return Located(statement, start, end, text)


def _last_word(statement: Import) -> str:
    last = statement.names[-1]
    return (last.alias or last.name).rpartition(".")[2] if last.name != "*" else "*"


def parse_import(text: str) -> AnyImport:
    line = cst.parse_statement(text)
    assert isinstance(line, cst.SimpleStatementLine)
    node = line.body[0]
    assert isinstance(node, (cst.Import, cst.ImportFrom))
    return node


def render(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def alias_name(alias: cst.ImportAlias) -> str:
    return render(alias.name)


def alias_as(alias: cst.ImportAlias) -> str | None:
    if alias.asname is None:
        return None
    target = alias.asname.name
    return target.value if isinstance(target, cst.Name) else render(target)


def aliases(node: AnyImport) -> Sequence[cst.ImportAlias]:
    names = node.names
    return names if isinstance(names, Sequence) else ()


def names_of(node: AnyImport) -> Names:
    """(name, alias) of each name the statement imports."""
    return [(alias_name(a), alias_as(a)) for a in aliases(node)]


def can_host(statement: Import, type_only: bool = False) -> bool:
    """A `from` statement other names may join: at module level (directly under
    `if TYPE_CHECKING:` when `type_only`), outside `try`, not a star import."""
    context = ImportContext.TYPE_CHECKING if type_only else ImportContext.MODULE
    return (
        statement.from_import
        and statement.context is context
        and (statement.column == 0) != type_only
        and not statement.in_try
        and all(n.name != "*" for n in statement.names)
    )


def shares_line(lines: LineIndex, statement: Import) -> bool:
    """`if x: import a` or `import a; b = 1`: code before or after it on its lines."""
    before = lines.line(statement.line)[: statement.column]
    after = lines.line(statement.end_line).rstrip("\r\n")[statement.end_column :].strip()
    return bool(before.strip()) or bool(after and not after.startswith("#"))


def without(node: AnyImport, drop: Callable[[cst.ImportAlias], bool]) -> AnyImport | None:
    """The statement minus the dropped names; None when no name is left."""
    names = list(aliases(node))
    kept = [a for a in names if not drop(a)]
    if not kept:
        return None
    if len(kept) == len(names):
        return node
    if kept[-1] is not names[-1]:  # the new last name takes the old last one's comma
        kept[-1] = kept[-1].with_changes(comma=names[-1].comma)
    return node.with_changes(names=kept)


def without_reexport_aliases(node: AnyImport) -> AnyImport:
    """`from x import A as A` → `from x import A`: the `as` form marks a hub's
    re-export, which a module that merely uses the name must not claim to be."""
    names = list(aliases(node))
    redundant = [alias_as(a) == alias_name(a) for a in names]
    if not any(redundant):
        return node
    plain = [a.with_changes(asname=None) if r else a for a, r in zip(names, redundant, strict=True)]
    return node.with_changes(names=plain)


def with_added(node: cst.ImportFrom, additions: Names) -> cst.ImportFrom:
    """The statement plus `additions`, each in sorted position when the names are sorted."""
    names = list(aliases(node))
    for name, alias in additions:
        new = cst.ImportAlias(
            name=cst.Name(name), asname=cst.AsName(cst.Name(alias)) if alias else None
        )
        at = _insertion_index(names, name, alias)
        opening = node.lpar.whitespace_after if node.lpar is not None else None
        names = with_item(names, at, new, opening)
    return node.with_changes(names=names)


Item = TypeVar("Item", cst.ImportAlias, cst.BaseElement)


def with_item(
    items: list[Item], at: int, new: Item, opening: cst.BaseParenthesizableWhitespace | None
) -> list[Item]:
    """A comma-separated list (an import's names, a list's elements) with `new` at `at`,
    commas laid out like the ones already there (one item per line stays so)."""
    if len(items) >= 2 and isinstance(items[-2].comma, cst.Comma):
        inner = items[-2].comma
    elif isinstance(opening, cst.ParenthesizedWhitespace):
        inner = cst.Comma(whitespace_after=opening)
    else:
        inner = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    result = list(items)
    if at < len(result):
        result.insert(at, new.with_changes(comma=inner))
    elif result:
        last = result[-1]
        result[-1] = last.with_changes(comma=inner)
        result.append(new.with_changes(comma=last.comma))
    else:
        result.append(new)
    return result


def _insertion_index(existing: list[cst.ImportAlias], name: str, alias: str | None) -> int:
    """Where a name goes: in isort's order when the names are in it, else last."""
    keys = [member_key(alias_name(a), alias_as(a)) for a in existing]
    if keys != sorted(keys):
        return len(existing)
    new = member_key(name, alias)
    return next((i for i, k in enumerate(keys) if k > new), len(existing))


def can_join(host: Names, additions: Names, style: ProjectStyle) -> bool:
    """Whether names may join an existing `from` statement as isort would have them: never
    with `force-single-line`; names with `as` only when `combine-as-imports` is on (or
    the statement already combines them), plain names only into a statement without."""
    if style.force_single_line:
        return False
    combined = style.combine_as or (len(host) > 1 and any(alias for _, alias in host))
    aliased = any(alias for _, alias in [*host, *additions])
    return combined or not aliased


def replace_statement(
    edit: FileEdit, located: Located, node: AnyImport, style: ProjectStyle, newline: str
) -> None:
    """Put `node` where `located` was; wrapped in parentheses, the line's trailing comment
    taken inside, when its line would get longer than the project's line length."""
    statement, lines = located.statement, edit.lines
    indent = lines.line(statement.line)[: statement.column]
    rest = lines.line(statement.end_line).rstrip("\r\n")[statement.end_column :]
    text = render(node)
    too_long = len(indent) + len(text) + len(rest) > style.line_length
    if "\n" in text or not too_long or shares_line(lines, statement):
        edit.replace(located.start, located.end, text)  # `a; b` lines stay as they are
        return
    if not isinstance(node, cst.ImportFrom) or not isinstance(node.names, Sequence):
        edit.replace(located.start, located.end, text)
        return
    comment = rest.strip()
    source = "." * len(node.relative) + (render(node.module) if node.module else "")
    text = wrapped(source, names_of(node), style.line_length, newline, indent, comment)
    edit.replace(located.start, located.end + (len(rest) if comment else 0), text[len(indent) :])


def retargeted(node: cst.ImportFrom, reference: str) -> cst.ImportFrom:
    """The same names read from `reference` (`.invoice_models`, `apps.billing`, `..`)."""
    level = len(reference) - len(reference.lstrip("."))
    dotted = reference[level:]
    module = cst.parse_expression(dotted) if dotted else None
    assert module is None or isinstance(module, (cst.Name, cst.Attribute))
    return node.with_changes(relative=[cst.Dot() for _ in range(level)], module=module)


def removal_range(lines: LineIndex, located: Located) -> tuple[int, int, str]:
    """What to replace to delete a statement: whole lines when it has them to itself
    (a trailing comment goes with it), else the statement and its `;`."""
    statement = located.statement
    first = lines.line(statement.line)
    last = lines.line(statement.end_line).rstrip("\r\n")
    prefix = first[: statement.column]
    suffix = last[statement.end_column :]
    if not prefix.strip() and (not suffix.strip() or suffix.lstrip().startswith("#")):
        return lines.start(statement.line), lines.end(statement.end_line), ""
    if suffix.lstrip().startswith(";"):
        after = len(suffix) - len(suffix.lstrip()) + 1
        after += len(suffix[after:]) - len(suffix[after:].lstrip(" \t"))
        return located.start, located.end + after, ""
    if prefix.rstrip().endswith(";"):
        before = len(prefix.rstrip()) - 1
        return lines.start(statement.line) + before, located.end, ""
    return located.start, located.end, "pass"
