"""Moving into a module that already exists: the code goes before the first statement
that uses it (else at the end), missing imports are merged or placed in sorted
position, and the destination's old imports of the moved names are dropped."""

from __future__ import annotations

from carve.core.index import Module, Outcome
from carve.core.refactor.edits.dunder_all import add_to_dunder_all
from carve.core.refactor.edits.import_removal import drop_import_names
from carve.core.refactor.edits.layout import ModuleLayout, Unit, bound_names
from carve.core.refactor.edits.names import gather_name_uses, has_future_annotations
from carve.core.refactor.edits.splices import newline_of
from carve.core.refactor.edits.syntax import parse_tree
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.dependencies import MovedCode, bound_name
from carve.core.refactor.move.destination import NewDestination
from carve.core.refactor.move.destination_imports import DestinationImports
from carve.core.refactor.move.restore_position import restored_slot
from carve.core.refactor.request import MoveError
from carve.core.summary import ImportContext


class ExistingDestination:
    def __init__(self, ctx: MoveContext, source_layout: ModuleLayout, code: MovedCode) -> None:
        assert ctx.destination_module is not None
        self.ctx = ctx
        self.module: Module = ctx.destination_module
        self.code = code
        self.writer = NewDestination(ctx, source_layout, code)
        self.edit = ctx.edits.file(self.module.path)
        tree = parse_tree(self.edit.original, self.module.path)
        self.layout = ModuleLayout(tree, self.edit.lines)
        self.newline = newline_of(self.edit.original)

    def plan(self) -> None:
        self._refuse_clashes()
        self._drop_old_imports()
        DestinationImports(self.ctx, self.writer.copier, self.code, self.layout).plan(
            self._copies()
        )
        self._insert_code()
        public = [n for n in self.ctx.requested if not n.startswith("_")]
        if self.module.summary.dunder_all is not None and public:
            add_to_dunder_all(self.edit, self.layout.tree, public)

    def _refuse_clashes(self) -> None:
        for name in sorted(self.ctx.moved):
            definition = self.module.summary.definitions.get(name)
            if definition is not None:
                raise MoveError(
                    f"`{self.module.name}` already defines `{name}`; rename one of them first",
                    self.module.path,
                    definition.line,
                )

    def _drop_old_imports(self) -> None:
        """`from .models import Invoice` in the destination: it now defines Invoice."""
        index, source = self.ctx.index, self.ctx.source
        for statement in self.module.summary.imports:
            if statement.context is ImportContext.LAZY:
                continue
            names = set()
            for imported in statement.names:
                if bound_name(statement, imported) not in self.ctx.moved:
                    continue
                origin = self.ctx.absolute(self.module, statement) if statement.from_import else ""
                result = index.resolve(origin, imported.name, self.module) if origin else None
                leads_home = origin == source.name or (
                    result is not None
                    and result.outcome is Outcome.DEFINED
                    and result.module == source.name
                )
                if not leads_home:
                    raise MoveError(
                        f"`{self.module.name}` already imports a different "
                        f"`{imported.bound}`; rename one of them first",
                        self.module.path,
                        statement.line,
                    )
                names.add(imported.name)
            if names:
                drop_import_names(self.edit, self.layout, statement, names)

    def _copies(self) -> list[str]:
        """`logger = getLogger(__name__)` lines the destination does not have yet."""
        taken = set(self.module.summary.definitions) | set(self.ctx.index.bindings(self.module))
        return [
            self.writer.layout.text_of(unit)
            for unit in self.code.copies
            if bound_names(unit.node)[0] not in taken
        ]

    def _nothing_before(self, line: int) -> bool:
        """Whether every line above `line` is blank or being deleted."""
        lines = self.edit.lines
        return all(
            self.edit.is_deleted(n) or not lines.line(n).strip() for n in range(1, line)
        ) and not any(s.start < lines.start(line) for s in self.edit.splices if s.text)

    def _insert_code(self) -> None:
        layout = self.layout
        body = layout.units[layout.header_end() :]
        moved, code = self.ctx.moved, self.code.units
        slot = restored_slot(layout.tree, body, self.ctx.requested, moved, code)
        if slot is not None:
            self._insert_at(slot.before)
            return
        # Only what runs when the module does orders definitions: annotations Python
        # never evaluates (`Mapped["Source"]`, PEP 563) do not.
        deferred = has_future_annotations(self.module.summary) or self.ctx.style.lazy_annotations
        users = [u for u in body if gather_name_uses([u.node], deferred).runtime & self.ctx.moved]
        code_uses = gather_name_uses([u.node for u in self.code.units], deferred)
        reads = self.code.free.reads - code_uses.annotation_only
        needed_here = reads & set(self.module.summary.definitions)
        if users:
            late = [
                u
                for u in body
                if u.position >= users[0].position and set(bound_names(u.node)) & needed_here
            ]
            if late:
                raise MoveError(
                    f"the moved code needs {bound_names(late[0].node)[0]!r}, defined after "
                    "the first use of the moved code here; reorder the module first",
                    self.module.path,
                    late[0].node.lineno,
                )
        self._insert_at(users[0] if users else None)

    def _insert_at(self, before: Unit | None) -> None:
        """The moved code above `before` (its blank lines), or at the end."""
        layout = self.layout
        if before is not None:
            first_gap = self.code.units[0].gap or 2
            if self._nothing_before(before.gap_start):
                first_gap = 0
            text = self.writer.code_text(first_gap)
            self.edit.insert(self.edit.lines.start(before.gap_start), text)
            return
        first_gap = (self.code.units[0].gap or 2) if layout.units else 0
        text = self.writer.code_text(first_gap)
        last = layout.units[-1].last_line if layout.units else 0
        if last:
            self.edit.insert_after_line(self.edit.lines.count, text)
        else:
            self.edit.insert(len(self.edit.original), text)
