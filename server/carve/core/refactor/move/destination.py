"""The destination module when it does not exist yet: the source's `from __future__`
imports, the imports the moved code needs (type-only ones under `if TYPE_CHECKING:`,
with the names that stay in the source and that the code only names in annotations),
then the moved code, byte for byte. Import blocks come out in isort's order."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from itertools import groupby

import libcst as cst

from carve.core.refactor.edits.import_blocks import Entry, arrange
from carve.core.refactor.edits.import_edits import can_join, names_of, parse_import, render
from carve.core.refactor.edits.import_order import Names, SortKey
from carve.core.refactor.edits.layout import DEFINITIONS, ModuleLayout, Unit
from carve.core.refactor.edits.references import detect_style, reference, render_from_import
from carve.core.refactor.edits.splices import newline_of
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.dependencies import MovedCode
from carve.core.refactor.move.imports_copy import ImportCopier, is_direct_type_checking
from carve.core.summary import Import

MAX_BLANK_LINES = 2
TYPE_CHECKING_IMPORT = "from typing import TYPE_CHECKING"


@dataclass
class HeaderItem:
    text: str  # whole lines
    key: SortKey | None  # a plain import statement's place; None for anything else
    gap: int  # blank lines above it in the source


class NewDestination:
    def __init__(self, ctx: MoveContext, layout: ModuleLayout, code: MovedCode) -> None:
        self.ctx = ctx
        self.layout = layout
        self.code = code
        self.copier = ImportCopier(ctx, layout)
        self.newline = newline_of(layout.lines.text)
        self._type_only_placed = False

    def plan(self) -> None:
        header = self._render(self._items())
        body = self.code_text()
        if header and body:
            definition = isinstance(self.code.units[0].node, DEFINITIONS)
            header += self.newline * (MAX_BLANK_LINES if definition else 1)
        self.ctx.edits.create(self.ctx.destination_path, header + body)

    def code_text(self, first_gap: int | None = None) -> str:
        parts = []
        for number, unit in enumerate(self.code.units):
            gap = unit.gap if number else (first_gap or 0)
            text = self.copier.unit_text(unit)
            parts.append(self.newline * gap + _terminated(text, self.newline))
        return "".join(parts)

    def _items(self) -> list[HeaderItem]:
        items: list[HeaderItem] = []
        copies = {u.position for u in self.code.copies}
        for unit in self.layout.units:
            if unit.position in copies:
                text = _terminated(self.layout.text_of(unit), self.newline)
                items.append(HeaderItem(text, None, unit.gap))
            elif text := self._header_text(unit):
                items.append(HeaderItem(text, self._key(unit, text), unit.gap))
        items = self._join_same_module(items)
        if self.code.type_only and not self._type_only_placed:
            self._add_type_checking_block(items)
        return items

    def _join_same_module(self, items: list[HeaderItem]) -> list[HeaderItem]:
        """Copied `from` statements of one module, laid out again together as isort
        would have them: `from .util import Slugger as Slugger` (a re-export in the
        source, copied without its alias) then joins `from .util import slug`. Statements
        with comments stay as they are."""
        groups: dict[str, list[HeaderItem]] = {}
        for item in items:
            if item.key is None or "#" in item.text:
                continue
            node = parse_import(item.text.strip())
            if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
                module = render(node.module) if node.module is not None else ""
                groups.setdefault("." * len(node.relative) + module, []).append(item)
        joined: set[int] = set()
        for source, group in groups.items():
            if len(group) < 2:
                continue
            names = [n for item in group for n in names_of(parse_import(item.text.strip()))]
            text = render_from_import(source, names, self.ctx.style, self.newline)
            group[0].text = text + self.newline
            group[0].key = self.ctx.order.key_of_text(text)
            joined.update(id(item) for item in group[1:])
        return [item for item in items if id(item) not in joined]

    def _key(self, unit: Unit, text: str) -> SortKey | None:
        if not isinstance(unit.node, (ast.Import, ast.ImportFrom)):
            return None
        return self.ctx.order.key_of_text(text)

    def _header_text(self, unit: Unit) -> str:
        """What of this source unit the destination repeats: a future import, a
        filtered import, a filtered `if TYPE_CHECKING:` block, or a whole block."""
        statements = self.copier.statements_in(unit)
        if isinstance(unit.node, ast.ImportFrom) and unit.node.module == "__future__":
            return _terminated(
                self.layout.lines.span(unit.node.lineno, unit.last_line), self.newline
            )
        needed = [s for s in statements if s in self.code.needed]
        if not needed:
            return ""
        if isinstance(unit.node, (ast.Import, ast.ImportFrom)):
            return self.copier.statement(needed[0], self.code.needed[needed[0]]) + self.newline
        if all(is_direct_type_checking(unit, s) for s in needed):
            return self._type_checking_block(unit, needed)
        return _terminated(self.layout.text_of(unit), self.newline)  # try/if: as it is

    def _type_checking_block(self, unit: Unit, needed: list[Import]) -> str:
        node = unit.node
        assert isinstance(node, ast.If)
        test = self.layout.lines.span(node.lineno, node.lineno)  # `if TYPE_CHECKING:` line
        indent = self.copier.indent_of(needed[0])
        statements = [
            indent + self.copier.statement(s, self.code.needed[s]) + self.newline for s in needed
        ]
        if self.code.type_only and not self._type_only_placed:
            self._type_only_placed = True
            statements.append(self._type_only_text(indent) + self.newline)
        return _terminated(test, self.newline) + self._sorted(statements)

    def _add_type_checking_block(self, items: list[HeaderItem]) -> None:
        """A new `if TYPE_CHECKING:` block after the imports (and the import of
        `TYPE_CHECKING` when the source has none to copy)."""
        imports = [i for i, item in enumerate(items) if item.key is not None]
        bound = any("TYPE_CHECKING" in names for names in self.code.needed.values())
        if not bound and not self._join_typing_import([items[i] for i in imports]):
            key = self.ctx.order.key_of_text(TYPE_CHECKING_IMPORT)
            after = [i for i in imports if (items[i].key or ()) < key]
            at = after[-1] + 1 if after else (imports[0] if imports else 0)
            items.insert(at, HeaderItem(TYPE_CHECKING_IMPORT + self.newline, key, 0))
            imports = [i for i, item in enumerate(items) if item.key is not None]
        body = self._type_only_text("    ") + self.newline
        block = HeaderItem("if TYPE_CHECKING:" + self.newline + body, None, 1)
        items.insert(imports[-1] + 1, block)

    def _join_typing_import(self, imports: list[HeaderItem]) -> bool:
        """`from typing import Any` copied already: `TYPE_CHECKING` joins it."""
        addition: Names = [("TYPE_CHECKING", None)]
        for item in imports:
            node = parse_import(item.text.strip())
            names = names_of(node)
            if (
                isinstance(node, cst.ImportFrom)
                and not node.relative
                and node.module is not None
                and render(node.module) == "typing"
                and can_join(names, addition, self.ctx.style)
            ):
                text = render_from_import("typing", [*names, *addition], self.ctx.style)
                item.text = text + self.newline
                item.key = self.ctx.order.key_of_text(item.text)
                return True
        return False

    def _type_only_text(self, indent: str) -> str:
        """`from <source> import …` for the staying names the moved code only annotates
        with, in the source's style (the destination repeats its imports)."""
        ctx = self.ctx
        relative = detect_style(ctx.index, ctx.source, ctx.destination).relative
        ref = reference(ctx.destination_package, ctx.source.name, relative)
        names: Names = [(n, None) for n in self.code.type_only]
        return render_from_import(ref, names, ctx.style, self.newline, indent)

    def _render(self, items: list[HeaderItem]) -> str:
        """Runs of plain imports in order, one blank line between sections and after the
        run; other items keep the blank lines they had (two at most)."""
        out: list[str] = []
        previous: HeaderItem | None = None
        for is_import, group in groupby(items, key=lambda item: item.key is not None):
            run = list(group)
            if is_import:
                out.append(self._gap(previous, run[0]) + self._sorted([i.text for i in run]))
                previous = run[-1]
                continue
            for item in run:
                out.append(self._gap(previous, item) + item.text)
                previous = item
        return "".join(out)

    def _gap(self, previous: HeaderItem | None, item: HeaderItem) -> str:
        if previous is None:
            return ""
        if previous.key is not None:  # after an import block: exactly one blank line
            return self.newline
        return self.newline * min(item.gap, MAX_BLANK_LINES)

    def _sorted(self, statements: list[str]) -> str:
        entries = [Entry(self.ctx.order.key_of_text(text), text) for text in statements]
        return arrange(entries, self.newline)


def _terminated(text: str, newline: str) -> str:
    return text if text.endswith(("\n", "\r")) else text + newline
