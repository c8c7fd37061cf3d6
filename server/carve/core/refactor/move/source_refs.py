"""Who refers to the source module: names imported from it, hubs re-exporting from it,
module objects (`import apps.billing.models as m` … `m.Invoice`), and whether the
source can be deleted once nothing but the re-export is left in it."""

from __future__ import annotations

import ast
from functools import cached_property

from carve.core.index import Module
from carve.core.refactor.edits.references import absolute_reference
from carve.core.refactor.edits.syntax import parse_tree
from carve.core.refactor.move.attributes import AttributeRewrite, ModuleAlias
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.hub_routing import HubRouting
from carve.core.summary import Import


class SourceReferences:
    def __init__(self, ctx: MoveContext) -> None:
        self.ctx = ctx

    @cached_property
    def statements(self) -> list[tuple[Module, Import]]:
        """Every import statement elsewhere that names the source module."""
        ctx, found = self.ctx, []
        name = ctx.source.name
        parent, _, base = name.rpartition(".")
        for module in ctx.index.modules():
            if module.path == ctx.source.path:
                continue
            for statement in module.summary.imports:
                if statement.from_import:
                    origin = ctx.index.absolute(module, statement)
                    hit = origin == name or (
                        origin == parent and any(n.name == base for n in statement.names)
                    )
                else:
                    hit = any(n.name == name for n in statement.names)
                if hit:
                    found.append((module, statement))
        return found

    def imported_names(self) -> set[str]:
        name = self.ctx.source.name
        return {
            imported.name
            for module, statement in self.statements
            if statement.from_import and self.ctx.index.absolute(module, statement) == name
            for imported in statement.names
        }

    def hub(self) -> str:
        """Where `--importers hub` routes importers: the nearest hub that re-exports the
        moved names from the source (it will follow them), else the source itself."""
        ctx = self.ctx
        if self._source_is_hub():
            return ctx.source.name
        best, depth = ctx.source.name, -1
        for module, statement in self.statements:
            if not ctx.index.is_hub(module) or module.path == ctx.destination_path:
                continue
            reexports = ctx.index.reexports(module)
            if not any(
                n.name in ctx.requested
                and reexports.get(n.bound) is not None
                and reexports[n.bound].statement == statement
                for n in statement.names
            ):
                continue
            package = ctx.index.hub_package(module)
            inside = not package or ctx.destination.startswith(package + ".")
            if inside and len(package) > depth:
                best, depth = module.name, len(package)
        return best

    def _source_is_hub(self) -> bool:
        """Whether the source is (or, by re-exporting its feature file, becomes) a hub."""
        ctx = self.ctx
        source, destination = ctx.source, ctx.destination
        if source.is_package:
            return destination.startswith(source.name + ".")
        if ctx.index.is_hub(source):
            return True
        sibling = destination.rpartition(".")[0] == source.package
        return sibling and source.basename in ctx.index.config.components

    def rewrite_attribute_access(self) -> None:
        """`--importers direct` for module objects (`m.Invoice`); the last step of
        importer rewriting, so it also says which importers now bypass a hub."""
        aliases = [a for m, s in self.statements if (a := ModuleAlias.of(self.ctx, m, s))]
        AttributeRewrite(self.ctx, aliases).plan()
        # Module objects (`models.Invoice`) are no `hub-bypass`: only `from` imports count.
        warning = HubRouting(self.ctx, self.hub()).warning()
        if warning is not None:
            self.ctx.warnings.append(warning)

    def can_delete_source(self) -> bool:
        """A feature file with only imports left (the re-export, `from __future__`) that
        nobody imports: it goes. Packages and hub-named modules (`models.py`) stay."""
        ctx = self.ctx
        if ctx.source.is_package or ctx.source.basename in ctx.index.config.components:
            return False
        text = ctx.edits.result_of(ctx.source.path)
        if any(line.lstrip().startswith("#") for line in text.splitlines()):
            return False
        tree = parse_tree(text, ctx.source.path)
        if not all(self._leftover(node) for node in tree.body):
            return False
        return not any(self._still_imports(module) for module, _ in self.statements)

    def _leftover(self, node: ast.stmt) -> bool:
        if not isinstance(node, ast.ImportFrom):
            return False
        if node.module == "__future__":
            return True
        origin = absolute_reference(self.ctx.source.package, node.level, node.module or "")
        return origin == self.ctx.destination and all(
            a.name in self.ctx.requested and a.asname == a.name for a in node.names
        )

    def _still_imports(self, module: Module) -> bool:
        if module.path == self.ctx.destination_path and self.ctx.destination_module is None:
            return False
        if not self.ctx.edits.touched(module.path):
            return True
        text = self.ctx.edits.result_of(module.path)
        name = self.ctx.source.name
        for node in ast.walk(parse_tree(text, module.path)):
            if isinstance(node, ast.Import) and any(a.name == name for a in node.names):
                return True
            if isinstance(node, ast.ImportFrom):
                origin = absolute_reference(module.package, node.level, node.module or "")
                if origin == name or any(f"{origin}.{a.name}" == name for a in node.names):
                    return True
        return False
