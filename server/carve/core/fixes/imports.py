"""Rewriting `from … import …` statements in one file: take names out, add names in,
merge into an existing import of the same module, or write a new statement beside the
old one. Each touched statement is re-printed by LibCST on its own, so comments and
layout inside it survive; nothing else in the file moves."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from carve.core.fixes.sequences import insert_element, remove_element, sorted_position
from carve.core.fixes.text import Replacement, SourceLines, logical_line_end
from carve.core.index import Module, WorkspaceIndex
from carve.core.summary import Import, ImportContext, ImportedName

_MODULE = cst.Module([])
Name = tuple[str, str | None]  # (name, alias)


class FixError(Exception):
    """The fix cannot be applied to the current text (it changed, or is unusual)."""


@dataclass(slots=True)
class _NewStatement:
    spelled: str  # "from .x import" prefix without names
    anchor: Import | None  # None: after the module's imports
    names: list[Name] = field(default_factory=list)


# A statement's source, the names taken out and the names put in → its new source.
Rewrites = dict[tuple[str, tuple[Name, ...], tuple[Name, ...]], str]


class ImportEditor:
    def __init__(
        self,
        text: str,
        module: Module,
        index: WorkspaceIndex,
        lines: SourceLines | None = None,
        rewrites: Rewrites | None = None,
    ) -> None:
        self.lines = lines if lines is not None and lines.text == text else SourceLines(text)
        self.module = module
        self.index = index
        # Shared by the editors of one FixContext: a JSON report plans each fix alone
        # after fix-all planned them together, the same statement rewritten the same way.
        self._rewrites: Rewrites = {} if rewrites is None else rewrites
        self._removed: dict[Import, list[ImportedName]] = {}
        self._added: dict[Import, list[Name]] = {}
        self._new: dict[tuple[str, str, int], _NewStatement] = {}

    # -- operations -------------------------------------------------------------------
    def locate(self, line: int, column: int) -> tuple[Import, ImportedName]:
        for statement in self.module.summary.imports:
            for imported in statement.names:
                if (imported.line, imported.column) == (line, column):
                    found = self.lines.line_text(line)[column : column + len(imported.name)]
                    if found != imported.name:  # the index is older than the text
                        raise FixError(f"the text at {line}:{column + 1} changed")
                    return statement, imported
        raise FixError(f"no imported name at {line}:{column + 1}")

    def remove(self, line: int, column: int) -> None:
        statement, imported = self.locate(line, column)
        self._removed.setdefault(statement, []).append(imported)

    def move(self, line: int, column: int, target: str) -> None:
        """Import the name at line:column from `target` instead, alias kept."""
        statement, imported = self.locate(line, column)
        if not statement.from_import:
            raise FixError("only names of `from … import …` statements can move")
        self._removed.setdefault(statement, []).append(imported)
        name: Name = (imported.name, imported.alias)
        merge = self._merge_target(target, statement.context, statement.column, statement.line)
        if merge is not None:
            self._added.setdefault(merge, []).append(name)
            return
        relative = statement.level > 0
        key = (target, statement.context.value, statement.column)
        group = self._new.get(key)
        if group is None or group.anchor is None or statement.line < group.anchor.line:
            names = group.names if group else []
            group = _NewStatement(self._spell(target, relative), statement, names)
            self._new[key] = group
        group.names.append(name)

    def add(self, target: str, name: str, alias: str | None, relative: bool) -> None:
        """A module-level `from target import name as alias`, merged when possible."""
        merge = self._merge_target(target, ImportContext.MODULE, 0, None)
        if merge is not None:
            self._added.setdefault(merge, []).append((name, alias))
            return
        key = (target, "after-imports", 0)
        group = self._new.setdefault(key, _NewStatement(self._spell(target, relative), None))
        group.names.append((name, alias))

    # -- rendering --------------------------------------------------------------------
    def replacements(self) -> list[Replacement]:
        result: list[Replacement] = []
        anchored = {id(g.anchor): g for g in self._new.values() if g.anchor is not None}
        touched = {*self._removed, *self._added}
        for statement in touched:
            removed = self._removed.get(statement, [])
            added = self._added.get(statement, [])
            group = anchored.pop(id(statement), None)
            kept = [n for n in statement.names if n not in removed]
            if not kept and not added:
                result.append(self._replace_or_delete(statement, group))
                continue
            result.append(self._rewrite(statement, removed, added))
            if group is not None:
                result.append(self._insert_after(statement.end_line, statement, group))
        for group in anchored.values():
            assert group.anchor is not None
            result.append(self._insert_after(group.anchor.end_line, group.anchor, group))
        for group in self._new.values():
            if group.anchor is None:
                result.append(self._insert_after_imports(group))
        return result

    def _rewrite(
        self, statement: Import, removed: list[ImportedName], added: list[Name]
    ) -> Replacement:
        start, end = self._span(statement)
        source = self.lines.text[start:end]
        key = (source, tuple((n.name, n.alias) for n in removed), tuple(added))
        rewritten = self._rewrites.get(key)
        if rewritten is None:
            rewritten = self._rewrites[key] = self._rewritten(statement, source, removed, added)
        return Replacement(start, end, rewritten)

    def _rewritten(
        self, statement: Import, source: str, removed: list[ImportedName], added: list[Name]
    ) -> str:
        try:
            node = cst.parse_statement(source)
        except cst.ParserSyntaxError as exc:
            raise FixError(f"cannot parse the import at line {statement.line}") from exc
        if not isinstance(node, cst.SimpleStatementLine):
            raise FixError(f"line {statement.line} is not a simple statement")
        body = node.body[0]
        if not isinstance(body, cst.ImportFrom) or isinstance(body.names, cst.ImportStar):
            raise FixError(f"line {statement.line} is not a `from … import …` statement")
        aliases = list(body.names)
        for imported in removed:
            index = _find(aliases, (imported.name, imported.alias))
            if index is None:
                raise FixError(f"`{imported.name}` is no longer imported at line {imported.line}")
            aliases = remove_element(aliases, index)
        opening = body.lpar.whitespace_after if body.lpar else None
        for name, alias in added:
            if _find(aliases, (name, alias)) is not None:
                continue
            position = sorted_position([_alias_name(a)[0] for a in aliases], name)
            new = cst.ImportAlias(cst.Name(name), cst.AsName(cst.Name(alias)) if alias else None)
            aliases = insert_element(aliases, new, position, opening)
        node = node.with_changes(body=[body.with_changes(names=aliases), *node.body[1:]])
        return _MODULE.code_for_node(node).rstrip("\r\n")

    def _replace_or_delete(self, statement: Import, group: _NewStatement | None) -> Replacement:
        start, end = self._span(statement)
        if group is not None:
            indent = self.lines.newline() + self._indent(statement)
            return Replacement(start, end, indent.join(_render(group)))
        lines = self.lines
        prefix = lines.text[lines.line_start(statement.line) : start]
        suffix = lines.text[end : lines.line_end(statement.end_line)]
        alone = not prefix.strip() and (not suffix.strip() or suffix.lstrip().startswith("#"))
        if alone and not self._only_statement_in_block(statement):
            # A trailing comment outlives its import (decision 3: comments survive).
            comment = suffix.strip()
            kept = f"{self._indent(statement)}{comment}{lines.newline()}" if comment else ""
            return Replacement(
                lines.line_start(statement.line), lines.next_line_start(statement.end_line), kept
            )
        stripped = suffix.lstrip()
        if stripped.startswith(";"):  # `import a; x = 1`
            after = end + len(suffix) - len(stripped) + 1
            rest = lines.text[after : lines.line_end(statement.end_line)]
            return Replacement(start, after + len(rest) - len(rest.lstrip(" \t")), "")
        if prefix.rstrip().endswith(";"):  # `x = 1; import a`
            return Replacement(lines.line_start(statement.line) + len(prefix.rstrip()) - 1, end, "")
        return Replacement(start, end, "pass")

    def _insert_after(self, line: int, statement: Import, group: _NewStatement) -> Replacement:
        offset = self.lines.line_end(line)
        prefix = self.lines.newline() + self._indent(statement)
        return Replacement(offset, offset, "".join(prefix + text for text in _render(group)))

    def _insert_after_imports(self, group: _NewStatement) -> Replacement:
        top = [
            s
            for s in self.module.summary.imports
            if s.context is ImportContext.MODULE and s.column == 0 and not s.in_try
        ]
        newline = self.lines.newline()
        text = "".join(newline + line for line in _render(group))
        if top:
            offset = self.lines.line_end(max(s.end_line for s in top))
            return Replacement(offset, offset, text)
        offset = self._after_docstring()
        if offset == 0:
            return Replacement(0, 0, text[len(newline) :] + newline + newline)
        return Replacement(offset, offset, newline + text[len(newline) :] + newline)

    # -- helpers ------------------------------------------------------------------------
    def _merge_target(
        self, target: str, context: ImportContext, column: int, near: int | None
    ) -> Import | None:
        if context is ImportContext.LAZY or (context is ImportContext.MODULE and column != 0):
            return None
        for statement in self.module.summary.imports:
            if (
                statement.from_import
                and statement.context is context
                and statement.column == column
                and not statement.in_try
                and all(n.name != "*" for n in statement.names)
                and self.index.absolute(self.module, statement) == target
                and (near is None or not self._definitions_between(statement.line, near))
            ):
                return statement
        return None

    def _definitions_between(self, a: int, b: int) -> bool:
        low, high = min(a, b), max(a, b)
        return any(low < d.line < high for d in self.module.summary.definitions.values())

    def _spell(self, target: str, relative: bool) -> str:
        if relative:
            package = self.module.package.split(".") if self.module.package else []
            parts = target.split(".")
            common = 0
            while common < min(len(package), len(parts)) and package[common] == parts[common]:
                common += 1
            if common:
                dots = "." * (len(package) - common + 1)
                return f"from {dots}{'.'.join(parts[common:])} import"
        return f"from {target} import"

    def _span(self, statement: Import) -> tuple[int, int]:
        return (
            self.lines.offset(statement.line, statement.column),
            self.lines.offset(statement.end_line, statement.end_column),
        )

    def _indent(self, statement: Import) -> str:
        prefix = self.lines.line_text(statement.line)[: statement.column]
        return prefix if not prefix.strip() else self.lines.indentation(statement.line)

    def _only_statement_in_block(self, statement: Import) -> bool:
        if statement.column == 0:
            return False
        width = len(self._indent(statement))
        before = self._code_line(statement.line - 1, -1)
        after = self._code_line(statement.end_line + 1, 1)
        opens_block = (
            before is not None and _indent_width(before) < width and _code(before).endswith(":")
        )
        closes_block = after is None or _indent_width(after) < width
        return opens_block and closes_block

    def _code_line(self, line: int, step: int) -> str | None:
        while 1 <= line <= self.lines.line_count:
            content = self.lines.line_text(line)
            if content.strip() and not content.lstrip().startswith("#"):
                return content
            line += step
        return None

    def _after_docstring(self) -> int:
        """Offset after the module docstring (and leading comments), 0 when none."""
        lines = self.lines
        line = 1
        while line <= lines.line_count and (
            not lines.line_text(line).strip() or lines.line_text(line).startswith("#")
        ):
            line += 1
        content = lines.line_text(line).lstrip("rRbBuU")
        if not content.startswith(('"', "'")):
            return 0
        end = logical_line_end(lines.text, lines.line_start(line))
        return lines.line_end(lines.line_of(end)) if end is not None else 0


def _render(group: _NewStatement) -> list[str]:
    names = ", ".join(
        name if alias is None else f"{name} as {alias}" for name, alias in group.names
    )
    return [f"{group.spelled} {names}"]


def _alias_name(alias: cst.ImportAlias) -> Name:
    name = _MODULE.code_for_node(alias.name)
    asname = alias.asname
    bound = asname.name.value if asname is not None and isinstance(asname.name, cst.Name) else None
    return name, bound


def _find(aliases: list[cst.ImportAlias], wanted: Name) -> int | None:
    for index, alias in enumerate(aliases):
        if _alias_name(alias) == wanted:
            return index
    return None


def _indent_width(content: str) -> int:
    return len(content) - len(content.lstrip(" \t"))


def _code(content: str) -> str:
    """The line without a trailing comment (good enough for `if x:  # note`)."""
    return content.split("#", 1)[0].rstrip()
