"""Giving an existing destination the imports the moved code needs: skipped when it
already has them, merged into its import from the same module, else a new statement
in order within its isort section; type-only ones (and the staying names the code only
annotates with) go into its `if TYPE_CHECKING:` block, made when it has none."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from carve.core.refactor.edits.import_blocks import Entry, arrange
from carve.core.refactor.edits.import_edits import (
    can_host,
    can_join,
    locate,
    replace_statement,
    with_added,
)
from carve.core.refactor.edits.import_order import Names, statement_names
from carve.core.refactor.edits.layout import ModuleLayout
from carve.core.refactor.edits.placement import (
    header_imports,
    insert_after_header,
    insert_first_imports,
    insert_import,
)
from carve.core.refactor.edits.references import detect_style, reference, render_from_import
from carve.core.refactor.edits.splices import newline_of
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.dependencies import MovedCode, bound_name
from carve.core.refactor.move.imports_copy import ImportCopier
from carve.core.refactor.request import MoveError
from carve.core.summary import Import, ImportContext


class DestinationImports:
    def __init__(
        self, ctx: MoveContext, copier: ImportCopier, code: MovedCode, layout: ModuleLayout
    ) -> None:
        assert ctx.destination_module is not None
        self.ctx = ctx
        self.module = ctx.destination_module
        self.copier = copier
        self.code = code
        self.layout = layout
        self.edit = ctx.edits.file(self.module.path)
        self.newline = newline_of(self.edit.original)
        self.bindings = self._bindings()
        self.merges: dict[Import, Names] = {}
        self.added: list[str] = []  # new top-level statements
        self.type_only: list[str] = []  # new statements for `if TYPE_CHECKING:`
        self.new_from: dict[tuple[str, bool], Names] = {}  # (module, type-only) → names

    def plan(self, copies: list[str]) -> None:
        """`copies`: header statements repeated from the source (`logger = …`), placed
        after the imports."""
        self._futures()
        for statement, names in self.code.needed.items():
            if statement in self.code.guards:
                continue  # wanted only by a new `if TYPE_CHECKING:` block: see _add_guard
            missing = self._missing(statement, names)
            if missing:
                self._add(statement, missing)
        self._add_staying_names()
        if self.type_only or any(type_only for _, type_only in self.new_from):
            self._add_guard()
        self._render_new()
        for target, additions in self.merges.items():
            located = locate(self.edit.lines, target)
            node = located.node()
            assert isinstance(node, cst.ImportFrom)
            node = with_added(node, additions)
            replace_statement(self.edit, located, node, self.ctx.style, self.newline)
        self._place(copies)

    def _futures(self) -> None:
        have = {
            n.name for s in self.module.summary.imports if s.module == "__future__" for n in s.names
        }
        for statement in self.ctx.source.summary.imports:
            if statement.module != "__future__" or statement.level:
                continue
            missing = [(n.name, n.alias) for n in statement.names if n.name not in have]
            if missing:
                self._add_from("__future__", "__future__", missing, False)

    def _missing(self, statement: Import, names: set[str]) -> set[str]:
        """Names the destination lacks; refuses when it binds one to something else."""
        source = self.ctx.absolute(self.ctx.source, statement) if statement.from_import else ""
        if source == self.module.name:
            return set()
        return {
            bound
            for imported in statement.names
            if (bound := bound_name(statement, imported)) in names
            and self._lacks(bound, source, imported.name)
        }

    def _lacks(self, bound: str, source: str, name: str) -> bool:
        """Whether the destination lacks `bound` (read as `name` from `source`); refuses
        when it defines or imports another `bound`."""
        mine = self.bindings.get(bound)
        where = source or name
        if mine is None and bound in self.module.summary.definitions:
            raise MoveError(
                f"the moved code uses `{bound}` (imported from `{where}`),"
                f" but `{self.module.name}` defines its own `{bound}`",
                self.module.path,
                self.module.summary.definitions[bound].line,
            )
        if mine is not None and mine != (source, name):
            raise MoveError(
                f"the moved code uses `{bound}` from `{where}`, but "
                f"`{self.module.name}` imports a different `{bound}`",
                self.module.path,
            )
        return mine is None

    def _bindings(self) -> dict[str, tuple[str, str]]:
        """bound name → (source module, original name) for the destination's imports."""
        found: dict[str, tuple[str, str]] = {}
        for statement in self.module.summary.imports:
            if statement.context is ImportContext.LAZY:
                continue
            for imported in statement.names:
                source = self.ctx.absolute(self.module, statement) if statement.from_import else ""
                found.setdefault(bound_name(statement, imported), (source, imported.name))
        return found

    def _add(self, statement: Import, names: set[str]) -> None:
        type_only = statement.context is ImportContext.TYPE_CHECKING
        if statement.from_import:
            wanted = [
                (n.name, None if n.explicit_reexport else n.alias)
                for n in statement.names
                if n.bound in names
            ]
            source = self.ctx.absolute(self.ctx.source, statement)
            ref = reference(self.module, source, relative=statement.level > 0)
            self._add_from(source, ref, wanted, type_only)
        else:
            text = self.copier.statement(statement, names)
            (self.type_only if type_only else self.added).append(text)

    def _add_from(self, source: str, ref: str, wanted: Names, type_only: bool) -> None:
        target = self._merge_target(source, wanted, type_only)
        if target is not None:
            self.merges.setdefault(target, []).extend(wanted)
            return
        names = self.new_from.setdefault((ref, type_only), [])
        names.extend(n for n in wanted if n not in names)

    def _render_new(self) -> None:
        """The new `from` statements, names of one module together."""
        for (ref, type_only), names in self.new_from.items():
            indent = "    " if type_only else ""  # so that long lines wrap where they will be
            text = render_from_import(ref, names, self.ctx.style, self.newline, indent)
            (self.type_only if type_only else self.added).append(textwrap.dedent(text))

    def _add_staying_names(self) -> None:
        """`from <source> import Invoice` under `if TYPE_CHECKING:` for the names that
        stay in the source and that the moved code reads only in annotations."""
        source = self.ctx.source.name
        wanted: Names = [(n, None) for n in self.code.type_only if self._lacks(n, source, n)]
        if wanted:
            relative = detect_style(self.ctx.index, self.module, source).relative
            self._add_from(source, reference(self.module, source, relative), wanted, True)

    def _merge_target(self, source: str, wanted: Names, type_only: bool) -> Import | None:
        for mine in self.module.summary.imports:
            if (
                can_host(mine, type_only)
                and self.ctx.absolute(self.module, mine) == source
                and can_join(statement_names(mine), wanted, self.ctx.style)
            ):
                return mine
        return None

    def _add_guard(self) -> None:
        """`TYPE_CHECKING` for a new `if TYPE_CHECKING:` block: the source's import of
        it, else `from typing import TYPE_CHECKING`."""
        if self._type_checking_block() is not None or "TYPE_CHECKING" in self.bindings:
            return
        for statement in self.code.guards:
            if any(bound_name(statement, n) == "TYPE_CHECKING" for n in statement.names):
                self._add(statement, {"TYPE_CHECKING"})
                return
        self._add_from("typing", "typing", [("TYPE_CHECKING", None)], False)

    def _place(self, copies: list[str]) -> None:
        block = self._type_checking_block()
        indent = block[1] if block is not None else "    "
        key = self.ctx.order.key_of_text
        body = arrange(
            [Entry(key(t), textwrap.indent(t, indent)) for t in self.type_only], self.newline
        )
        if block is not None and body:
            self.edit.insert_after_line(block[0].end_lineno or block[0].lineno, body)
        after = [t for t in ["if TYPE_CHECKING:" + self.newline + body] if body and not block]
        after += copies
        if header_imports(self.layout):
            for text in self.added:
                insert_import(self.edit, self.layout, self.ctx.order, text, self.newline)
            for text in after:
                insert_after_header(self.edit, self.layout, text, self.newline)
            return
        entries = [Entry(key(t), t) for t in self.added]
        parts = [arrange(entries, self.newline), *after] if entries else after
        if parts:
            text = self.newline.join(parts)
            insert_first_imports(self.edit, self.layout, text.rstrip("\r\n"), self.newline)

    def _type_checking_block(self) -> tuple[ast.If, str] | None:
        for unit in self.layout.units[: self.layout.header_end()]:
            node = unit.node
            if isinstance(node, ast.If) and not node.orelse and _is_type_checking(node.test):
                first = node.body[0]
                line = self.edit.lines.line(first.lineno)
                return node, line[: len(line) - len(line.lstrip())]
        return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )
