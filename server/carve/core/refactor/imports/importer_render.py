"""One importer file of `carve imports`, rewritten with the move's importer machinery,
in passes over the text each previous pass left:

1. its `from` statements, by `StatementRewrite` (every redirect of the file at once, so
   a statement naming several hubs' names is split, merged or re-aimed once);
2. reads through a module object (`models.Invoice` through the hub with `direct`,
   `invoice_models.Invoice` through the defining module with `via-hub`), by
   `AttributeRewrite`, one pass per destination module: each pass sees the reads the
   earlier ones left, so the last one drops the old import when nothing reads it.

Each pass lays its touched import blocks out again in isort's order."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from carve.core.changeset import FileChange
from carve.core.index import Module
from carve.core.parse import summarize_text
from carve.core.refactor.edits.edit_set import EditSet
from carve.core.refactor.edits.import_blocks import keep_blocks_sorted
from carve.core.refactor.edits.splices import newline_of
from carve.core.refactor.imports.added_imports import join_added_imports
from carve.core.refactor.imports.hub_importers import ImporterPlan, ModulePass, ModuleRead
from carve.core.refactor.move.attributes import AttributeRewrite, ModuleAlias
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.importers import StatementRewrite
from carve.core.refactor.move.patched_bindings import PatchedBindings
from carve.core.summary import Import

_Pass = Callable[[MoveContext, Module], None]


class ImporterRender:
    """Renders importer files; `ctx` carries the index, style and read function shared
    by every file (its `source` and `destination` are set per pass)."""

    def __init__(self, ctx: MoveContext) -> None:
        self.ctx = ctx
        self.patches = PatchedBindings(ctx)  # reads the workspace's strings once

    def render(self, found: ImporterPlan) -> tuple[FileChange | None, list[str]]:
        """The file's new text (None: nothing changes), and warnings (a test patching a
        hub's module object by name keeps it)."""
        module, warnings = found.module, list[str]()
        original = text = self.ctx.edits.read_text(module.path)
        if found.redirects:
            text = self._pass(module, text, lambda ctx, m: _statements(ctx, m, found))
        summarised, current = original, module  # the text `current` summarises
        for read in found.module_reads:
            for step_pass in read.passes:
                if not _reads_any(text, step_pass.names):
                    continue  # no `.Name` of this pass anywhere: nothing to rewrite
                if text is not summarised:
                    summarised, current = text, _resummarised(module, text)
                statement = _same_statement(current, read, text is original)
                step = self._step(step_pass, warnings)
                if statement is None or step is None:
                    break

                def attributes(ctx: MoveContext, m: Module, s: Import = statement) -> None:
                    alias = ModuleAlias.of(ctx, m, s)
                    if alias is not None:
                        rewrite = AttributeRewrite(ctx, [alias])
                        rewrite.patches = self.patches
                        rewrite.plan()

                text = self._pass(current, text, attributes, step)
        if text == original:
            return None, warnings
        text = join_added_imports(self.ctx, module, _resummarised(module, text), text)
        return FileChange(module.path, original, text), warnings

    def _step(self, step: ModulePass, warnings: list[str]) -> MoveContext | None:
        """The move context of one module-object pass: reads of `step.names` through
        `step.source` go to `step.destination`."""
        index = self.ctx.index
        source = index.get(step.source)
        destination = index.get(step.destination, source)
        if source is None or destination is None:
            return None
        ctx = replace(
            self.ctx,
            source=source,
            destination=step.destination,
            destination_path=destination.path,
            destination_module=destination,
            requested=step.names,
            warnings=warnings,
        )
        ctx.__dict__["style"] = self.ctx.style
        return ctx

    def _pass(
        self,
        module: Module,
        text: str,
        plan: _Pass,
        ctx: MoveContext | None = None,
    ) -> str:
        """`text` after one planning step over it."""
        path = module.path
        edits = EditSet(lambda p: text if p == path else self.ctx.edits.read_text(p))
        step = replace(ctx or self.ctx, edits=edits)
        step.__dict__["style"] = self.ctx.style
        plan(step, module)
        if not edits.touched(path):
            return text
        edit = edits.file(path)
        keep_blocks_sorted(edit, module.summary.imports, step.order, newline_of(edit.original))
        return edit.result()


def _statements(ctx: MoveContext, module: Module, found: ImporterPlan) -> None:
    StatementRewrite(ctx, module, found.redirects).plan()


def _reads_any(text: str, names: tuple[str, ...]) -> bool:
    pattern = r"\.\s*(?:" + "|".join(re.escape(n) for n in names) + r")\b"
    return re.search(pattern, text) is not None


def _resummarised(module: Module, text: str) -> Module:
    return Module(module.name, module.path, module.root, module.is_package, summarize_text(text))


def _same_statement(module: Module, read: ModuleRead, original: bool) -> Import | None:
    """The statement binding the hub's module object, in `module` as re-read."""
    if original:
        return read.statement
    old = read.statement
    bound = {n.bound for n in old.names}
    for statement in module.summary.imports:
        if (
            statement.from_import == old.from_import
            and statement.context is old.context
            and statement.module == old.module
            and statement.level == old.level
            and bound & {n.bound for n in statement.names}
        ):
            return statement
    return None
