"""`import apps.billing.models as m` … `m.Invoice`: with `--importers direct`, such
attribute reads are pointed at the destination module (`invoice_models.Invoice`), an
import of it is added beside the old one, and the old one goes if nothing uses it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from carve.core.index import Module
from carve.core.refactor.edits.import_edits import locate, shares_line
from carve.core.refactor.edits.import_removal import drop_import_names
from carve.core.refactor.edits.module_import_join import join_module_import
from carve.core.refactor.edits.module_reads import bound_anywhere, gather_reads
from carve.core.refactor.edits.references import reference
from carve.core.refactor.edits.splices import FileEdit, newline_of
from carve.core.refactor.edits.syntax import parse_tree
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.patched_bindings import PatchedBindings
from carve.core.summary import Import, ImportContext, ImportedName


@dataclass(frozen=True, slots=True)
class ModuleAlias:
    """How one importer spells the source module: `m`, `models` or `apps.billing.models`."""

    module: Module
    statement: Import
    imported: ImportedName
    chain: tuple[str, ...]

    @classmethod
    def of(cls, ctx: MoveContext, module: Module, statement: Import) -> ModuleAlias | None:
        return cls.of_module(ctx, module, statement, ctx.source.name)

    @classmethod
    def of_module(
        cls, ctx: MoveContext, module: Module, statement: Import, name: str
    ) -> ModuleAlias | None:
        for imported in statement.names:
            if statement.from_import:
                origin = ctx.index.absolute(module, statement)
                if f"{origin}.{imported.name}" == name:
                    return cls(module, statement, imported, (imported.bound,))
            elif imported.name == name:
                chain = (imported.alias,) if imported.alias else tuple(name.split("."))
                return cls(module, statement, imported, chain)
        return None

    def new_import(self, ctx: MoveContext, alias: str) -> tuple[str, tuple[str, ...]]:
        """The import statement for the destination, and how code then spells it."""
        destination = ctx.destination
        parent, _, base = destination.rpartition(".")
        renamed = f" as {alias}" if alias != base else ""
        if self.statement.from_import:
            ref = reference(self.module, parent, relative=self.statement.level > 0)
            return f"from {ref} import {base}{renamed}", (alias,)
        if self.imported.alias:
            return f"import {destination} as {alias}", (alias,)
        return f"import {destination}", tuple(destination.split("."))


class AttributeRewrite:
    def __init__(self, ctx: MoveContext, aliases: list[ModuleAlias]) -> None:
        self.ctx = ctx
        self.aliases = aliases
        names = "|".join(re.escape(n) for n in ctx.requested)
        self._attr = rf"\s*\.\s*(?:{names})\b"
        self.patches = PatchedBindings(ctx)

    def plan(self) -> None:
        for alias in self.aliases:
            if alias.module.path == self.ctx.destination_path:
                continue
            text = self.ctx.edits.text(alias.module.path)
            spelled = r"\s*\.\s*".join(re.escape(p) for p in alias.chain)
            if re.search(rf"(?<![\w.]){spelled}{self._attr}", text):
                self._rewrite(alias, text)

    def _rewrite(self, alias: ModuleAlias, text: str) -> None:
        module, ctx = alias.module, self.ctx
        tree = parse_tree(text, module.path)
        reads = gather_reads(
            tree,
            ctx.edits.lines(module.path).lines,
            alias.statement,
            alias.chain,
            set(ctx.requested),
        )
        renamed = [s for s in reads.annotations if s.moved]
        if not reads.moved and not renamed:
            return  # the match was in a string or comment: strings are never uses
        if self._patched(alias):
            return
        edit = ctx.edits.file(module.path)
        taken = set(module.summary.definitions) | set(ctx.index.bindings(module))
        existing = _spelling_of(ctx, module, ctx.destination)
        if existing is not None:
            spelled, statement_text = existing, ""
        else:
            base = ctx.destination.rpartition(".")[2]
            if re.search(rf"\b{re.escape(base)}", text):  # `invoice_models = …` shadows
                taken |= bound_anywhere(tree)
            fresh, n = base, 1
            while fresh in taken:
                fresh, n = f"{base}_module" + (str(n) if n > 1 else ""), n + 1
            statement_text, spelled = alias.new_import(ctx, fresh)
        for node in reads.moved:
            value = node.value
            start = edit.lines.offset_bytes(value.lineno, value.col_offset)
            end = edit.lines.offset_bytes(
                value.end_lineno or value.lineno, value.end_col_offset or 0
            )
            edit.replace(start, end, ".".join(spelled))
        for span in renamed:
            start = edit.lines.offset_bytes(span.line, span.byte_start)
            edit.replace(
                start, edit.lines.offset_bytes(span.line, span.byte_end), ".".join(spelled)
            )
        drop = reads.all_moved
        if statement_text and join_module_import(ctx, edit, alias, statement_text, drop):
            return
        if statement_text:
            self._insert_after(edit, alias.statement, statement_text)
        if drop:
            located = locate(edit.lines, alias.statement)
            if not edit.covers(located.start, located.end):
                drop_import_names(edit, None, alias.statement, {alias.imported.name})

    def _patched(self, alias: ModuleAlias) -> bool:
        """A test patches the alias by name (`mock.patch("pkg.importer.timezone")`): the
        module keeps reading the moved name through it, so the patch still applies."""
        binding = alias.chain[0]
        found = self.patches.find(alias.module, binding)
        if not found:
            return False
        where = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
        self.ctx.warnings.append(
            f"{self.ctx.relative_path(alias.module.path)} keeps `{binding}` and reads "
            f"{', '.join(f'`{n}`' for n in self.ctx.requested)} through it (unchanged): "
            f"{where} patches `{alias.module.name}.{binding}` by name"
        )
        return True

    def _insert_after(self, edit: FileEdit, statement: Import, text: str) -> None:
        indent = edit.lines.line(statement.line)[: statement.column]
        newline = newline_of(edit.original)
        if shares_line(edit.lines, statement):  # `if x: import a.b as m`
            located = locate(edit.lines, statement)
            edit.insert(located.end, "; " + text)
        else:
            edit.insert_after_line(statement.end_line, indent + text + newline)


def _spelling_of(ctx: MoveContext, module: Module, target: str) -> tuple[str, ...] | None:
    """How `module` already spells module `target` at module level, if it imports it."""
    for statement in module.summary.imports:
        if statement.context is not ImportContext.MODULE or statement.column:
            continue
        alias = ModuleAlias.of_module(ctx, module, statement, target)
        if alias is not None:
            return alias.chain
    return None
