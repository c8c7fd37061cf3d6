"""Importers of the moved names: hubs that re-exported them from the source follow the
definition; other importers are left alone (keep), routed through the hub (hub), or
pointed at the destination (direct). One import statement at a time: names that stay
keep their statement, moved ones join an import of their new source or a new line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from carve.core.index import Module, Outcome
from carve.core.refactor.edits.import_edits import (
    can_host,
    can_join,
    locate,
    names_of,
    replace_statement,
    retargeted,
    shares_line,
    with_added,
)
from carve.core.refactor.edits.import_order import Names, statement_names
from carve.core.refactor.edits.import_removal import drop_import_names
from carve.core.refactor.edits.references import (
    detect_style,
    reference,
    render_from_import,
    wrapped,
)
from carve.core.refactor.edits.splices import FileEdit, newline_of
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.cycles import ImportGraph
from carve.core.refactor.move.hub_routing import HubRouting
from carve.core.refactor.request import ImporterMode
from carve.core.summary import Import, ImportedName


@dataclass(frozen=True, slots=True)
class Redirect:
    statement: Import
    imported: ImportedName
    target: str  # the module the name is read from after the move


class ImporterRewrite:
    def __init__(self, ctx: MoveContext, mode: ImporterMode, hub: str, graph: ImportGraph) -> None:
        self.ctx = ctx
        self.mode = mode
        self.hub = hub  # where `hub` mode routes importers (the source when it is the hub)
        self.graph = graph
        self.routing = HubRouting(ctx, hub)
        self._resolved: dict[tuple[str, str], bool] = {}
        self.rewritten: set[str] = set()  # modules changed

    def plan(self) -> None:
        skip = {self.ctx.source.path, self.ctx.destination_path}
        for module in self.ctx.index.modules():
            if module.path in skip:
                continue
            redirects = list(self._redirects(module))
            if redirects:
                StatementRewrite(self.ctx, module, redirects).plan()
                self.rewritten.add(module.name)

    def _redirects(self, module: Module) -> Iterator[Redirect]:
        index, public = self.ctx.index, set(self.ctx.requested)
        reexports = None
        for statement in module.summary.imports:
            if not statement.from_import or not any(n.name in public for n in statement.names):
                continue
            source = index.absolute(module, statement)
            for imported in statement.names:
                if imported.name not in public:
                    continue
                direct = source == self.ctx.source.name
                if not direct and not self._leads_to_source(source, imported.name, module):
                    continue
                if reexports is None:
                    reexports = index.reexports(module) if index.is_hub(module) else {}
                binding = reexports.get(imported.bound)
                if binding is not None and binding.statement == statement:
                    if direct:  # a hub re-exporting from the source follows the definition
                        yield Redirect(statement, imported, self.ctx.destination)
                    continue
                target = self._target(module, direct, imported.name)
                if target is not None and target != source:
                    yield Redirect(statement, imported, target)

    def _hub_exports(self, name: str) -> bool:
        """Whether the hub re-exports `name` from the source (then it follows the move)."""
        result = self.ctx.index.resolve(self.hub, name, self.ctx.source)
        return result.outcome is Outcome.DEFINED and result.module == self.ctx.source.name

    def _leads_to_source(self, source: str, name: str, near: Module) -> bool:
        if self.mode is not ImporterMode.DIRECT or not self.ctx.index.in_workspace(source):
            return False
        key = (source, name)
        if key not in self._resolved:
            result = self.ctx.index.resolve(source, name, near)
            self._resolved[key] = (
                result.outcome is Outcome.DEFINED and result.module == self.ctx.source.name
            )
        return self._resolved[key]

    def _target(self, module: Module, direct: bool, name: str) -> str | None:
        if self.mode is ImporterMode.DIRECT:
            self.routing.note_direct(module)
            return self.ctx.destination
        if self.mode is ImporterMode.HUB and direct and self.hub != self.ctx.source.name:
            if not self._hub_exports(name):
                return None  # taken along, not re-exported by the hub: the source still is
            if module.name == self.hub or self.graph.reaches(self.hub, module.name):
                return self.ctx.destination  # through the hub would be a cycle
            return self.hub
        return None


class StatementRewrite:
    """All redirects of one importing module, applied statement by statement.

    A statement whose names all go to one module is re-aimed in place, unless the file
    already imports from that module (then the names join that import). A statement
    keeping some names loses the moved ones; they join an import of their new source
    (an existing one, or one re-aimed here) or a new statement right below.
    """

    def __init__(self, ctx: MoveContext, module: Module, redirects: list[Redirect]) -> None:
        self.ctx = ctx
        self.module = module
        self.edit: FileEdit = ctx.edits.file(module.path)
        self.newline = newline_of(self.edit.original)
        self.by_statement: dict[Import, list[Redirect]] = {}
        for redirect in redirects:
            self.by_statement.setdefault(redirect.statement, []).append(redirect)
        self.retarget: dict[Import, str] = {}
        self.hosts: dict[str, Import] = {}  # module → the statement importing from it
        self.merges: dict[Import, Names] = {}
        # `from x import a` / `from x import b` files get new lines, never merged ones
        self.merging = not detect_style(ctx.index, module).one_per_line
        self.style = ctx.style

    def plan(self) -> None:
        for statement, redirects in self.by_statement.items():
            targets = {r.target for r in redirects}
            if len(redirects) == len(statement.names) and len(targets) == 1:
                target = targets.pop()
                reexport = any(n.explicit_reexport for n in statement.names)
                names = statement_names(statement)
                if reexport or self._existing_host(statement, target, names) is None:
                    self.retarget[statement] = target
                    if can_host(statement) and self.merging:
                        self.hosts.setdefault(target, statement)
        for statement, redirects in self.by_statement.items():
            if statement not in self.retarget:
                self._split(statement, redirects)
        for statement in dict.fromkeys([*self.retarget, *self.merges]):
            self._render(statement)

    def _split(self, statement: Import, redirects: list[Redirect]) -> None:
        targets: dict[str, Names] = {}
        for redirect in redirects:
            names = targets.setdefault(redirect.target, [])
            names.append((redirect.imported.name, redirect.imported.alias))
        for target, names in targets.items():
            host = self._existing_host(statement, target, names) or (
                self.hosts.get(target) if can_host(statement) and self.merging else None
            )
            if host is not None and not can_join(statement_names(host), names, self.style):
                host = None
            if host is not None:
                self.merges.setdefault(host, []).extend(names)
            else:
                self._insert_after(statement, target, names)
        moving = {r.imported.name for r in redirects}
        drop_import_names(self.edit, None, statement, moving)

    def _render(self, statement: Import) -> None:
        located = locate(self.edit.lines, statement)
        node = located.node()
        assert isinstance(node, cst.ImportFrom)
        target = self.retarget.get(statement)
        if target is not None:
            ref = reference(self.module, target, relative=statement.level > 0)
            node = retargeted(node, ref)
        present = set(names_of(node))
        additions = [a for a in dict.fromkeys(self.merges.get(statement, [])) if a not in present]
        if additions:
            node = with_added(node, additions)
        replace_statement(self.edit, located, node, self.style, self.newline)

    def _insert_after(self, statement: Import, target: str, names: Names) -> None:
        ref = reference(self.module, target, relative=statement.level > 0)
        indent = self.edit.lines.line(statement.line)[: statement.column]
        if shares_line(self.edit.lines, statement):
            located = locate(self.edit.lines, statement)  # `a; b` lines stay one line
            self.edit.insert(located.end, "; " + wrapped(ref, names, sys.maxsize, self.newline))
        else:
            text = render_from_import(ref, names, self.style, self.newline, indent)
            self.edit.insert_after_line(statement.end_line, text + self.newline)

    def _existing_host(self, statement: Import, target: str, names: Names) -> Import | None:
        """A statement of this module already importing from `target` that the moved
        names can join (both at the top level, outside `try`)."""
        if not can_host(statement) or not self.merging:
            return None
        for other in self.module.summary.imports:
            if (
                other is not statement
                and other not in self.by_statement
                and can_host(other)
                and self.ctx.index.absolute(self.module, other) == target
                and can_join(statement_names(other), names, self.style)
            ):
                return other
        return None
