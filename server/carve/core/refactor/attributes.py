"""`import apps.billing.models as m` … `m.Invoice`: with `--importers direct`, such
attribute reads are pointed at the destination module (`invoice_models.Invoice`), an
import of it is added beside the old one, and the old one goes if nothing uses it."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from carve.core.index import Module
from carve.core.refactor.context import MoveContext
from carve.core.refactor.import_edits import locate, shares_line
from carve.core.refactor.import_removal import drop_import_names
from carve.core.refactor.references import reference
from carve.core.refactor.scopes import NameScopes
from carve.core.refactor.splices import FileEdit, newline_of
from carve.core.refactor.syntax import parse_tree
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

    def plan(self) -> None:
        for alias in self.aliases:
            if alias.module.path == self.ctx.destination_path:
                continue
            text = self.ctx.edits.text(alias.module.path)
            spelled = r"\s*\.\s*".join(re.escape(p) for p in alias.chain)
            if re.search(rf"(?<![\w.]){spelled}{self._attr}", text):
                self._rewrite(alias)

    def _rewrite(self, alias: ModuleAlias) -> None:
        module = alias.module
        edit = self.ctx.edits.file(module.path)
        tree = parse_tree(edit.original, module.path)
        binds = _BindingScope(tree, alias.statement)
        uses = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute)
            and _chain(n.value) == alias.chain
            and binds.reads(n.value)
        ]
        moved = [n for n in uses if n.attr in self.ctx.requested]
        taken = set(module.summary.definitions) | set(self.ctx.index.bindings(module))
        taken |= _bound_anywhere(tree)  # a local `invoice_models = …` would shadow it
        existing = _spelling_of(self.ctx, module, self.ctx.destination)
        if existing is not None:
            spelled, statement_text = existing, ""
        else:
            base = self.ctx.destination.rpartition(".")[2]
            fresh, n = base, 1
            while fresh in taken:
                fresh, n = f"{base}_module" + (str(n) if n > 1 else ""), n + 1
            statement_text, spelled = alias.new_import(self.ctx, fresh)
        for node in moved:
            value = node.value
            start = edit.lines.offset_bytes(value.lineno, value.col_offset)
            end = edit.lines.offset_bytes(
                value.end_lineno or value.lineno, value.end_col_offset or 0
            )
            edit.replace(start, end, ".".join(spelled))
        if statement_text:
            self._insert_after(edit, alias.statement, statement_text)
        if len(moved) == self._references(tree, alias, binds):
            located = locate(edit.lines, alias.statement)
            if not edit.covers(located.start, located.end):
                drop_import_names(edit, None, alias.statement, {alias.imported.name})

    def _references(self, tree: ast.Module, alias: ModuleAlias, binds: _BindingScope) -> int:
        """How often code reads the alias at all (the moved attributes included)."""
        if len(alias.chain) == 1:
            return sum(
                1
                for n in ast.walk(tree)
                if isinstance(n, ast.Name)
                and n.id == alias.chain[0]
                and isinstance(n.ctx, ast.Load)
                and binds.reads(n)
            )
        return sum(
            1
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute)
            and _chain(n.value) == alias.chain
            and binds.reads(n.value)
        )

    def _insert_after(self, edit: FileEdit, statement: Import, text: str) -> None:
        indent = edit.lines.line(statement.line)[: statement.column]
        newline = newline_of(edit.original)
        if shares_line(edit.lines, statement):  # `if x: import a.b as m`
            located = locate(edit.lines, statement)
            edit.insert(located.end, "; " + text)
        else:
            edit.insert_after_line(statement.end_line, indent + text + newline)


class _BindingScope:
    """Whether a spelling of the alias reads the binding its import statement made,
    not a parameter, local or class attribute of the same name."""

    def __init__(self, tree: ast.Module, statement: Import) -> None:
        self.scopes = NameScopes(tree)
        node = _import_node(tree, statement)
        self.scope = self.scopes.enclosing(node) if node is not None else tree

    def reads(self, expr: ast.expr) -> bool:
        while isinstance(expr, ast.Attribute):
            expr = expr.value
        return isinstance(expr, ast.Name) and self.scopes.scope_of(expr) is self.scope


def _import_node(tree: ast.Module, statement: Import) -> ast.stmt | None:
    candidates = [
        n
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom)) and n.lineno == statement.line
    ]
    exact = [n for n in candidates if n.col_offset == statement.column]
    return next(iter(exact or candidates), None)


def _bound_anywhere(tree: ast.Module) -> set[str]:
    """Every name the file binds in any scope: assignments, parameters, definitions,
    imports, `global`/`nonlocal`, comprehension and `except`/`match` targets."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).partition(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    return bound


def _chain(node: ast.expr) -> tuple[str, ...] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return tuple(reversed(parts))
    return None


def _spelling_of(ctx: MoveContext, module: Module, target: str) -> tuple[str, ...] | None:
    """How `module` already spells module `target` at module level, if it imports it."""
    for statement in module.summary.imports:
        if statement.context is not ImportContext.MODULE or statement.column:
            continue
        alias = ModuleAlias.of_module(ctx, module, statement, target)
        if alias is not None:
            return alias.chain
    return None
