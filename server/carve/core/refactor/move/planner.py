"""`MoveSymbol`: move top-level definitions to another module, leaving a correct hub.

The planner reads files (through `read_text`, so editors can pass unsaved buffers)
and returns a ChangeSet; it never writes. Every refusal is a MoveError, raised before
anything is returned.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.config import ImportPolicy
from carve.core.index import Module, Outcome, WorkspaceIndex
from carve.core.overlay import overlay
from carve.core.refactor.edits.edit_set import EditSet, ReadText
from carve.core.refactor.edits.import_blocks import keep_blocks_sorted
from carve.core.refactor.edits.import_edits import StaleIndexError
from carve.core.refactor.edits.layout import ModuleLayout
from carve.core.refactor.edits.naming import default_destination, default_shared
from carve.core.refactor.edits.splices import newline_of
from carve.core.refactor.edits.syntax import parse_tree
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.cycles import ImportGraph
from carve.core.refactor.move.dependencies import MovedCode, MovedCodeAnalysis
from carve.core.refactor.move.destination import NewDestination
from carve.core.refactor.move.destination_merge import ExistingDestination
from carve.core.refactor.move.importers import ImporterRewrite
from carve.core.refactor.move.move_refusals import refuse_partition
from carve.core.refactor.move.origin import SourceEdit
from carve.core.refactor.move.partition import Partition, partition_move
from carve.core.refactor.move.source_refs import SourceReferences
from carve.core.refactor.move.strings import string_references
from carve.core.refactor.request import ImporterMode, MoveError, MoveRequest
from carve.core.summary import ImportContext
from carve.core.verify import Verifier


@dataclass(frozen=True, slots=True)
class MoveOutline:
    along: tuple[str, ...]  # names moving with the requested ones
    extracted: tuple[str, ...]  # names going to the shared module
    shared: str  # the shared module's name


class MoveSymbol:
    def __init__(
        self, index: WorkspaceIndex, request: MoveRequest, read_text: ReadText | None = None
    ) -> None:
        if not request.names:
            raise MoveError("nothing to move: name at least one definition")
        self.index = index
        self.request = request
        self.edits = EditSet(read_text)

    def plan(self) -> ChangeSet:
        changes = self.draft()
        # The move's own checks are the fast path; the verifier is the judge of record.
        verifier = Verifier(self.index, self.index.config)
        verifier.eager_tangle_reads = True
        verdict = verifier.verify(changes)
        if not verdict.ok:
            raise MoveError(f"the move {verdict.reason()}")
        return changes

    def draft(self) -> ChangeSet:
        """The change set, not yet verified (a step of a larger refactor that verifies
        the whole)."""
        try:
            return self._plan()
        except StaleIndexError as exc:
            raise MoveError(f"a file changed since it was indexed ({exc}); run again") from None

    def _plan(self) -> ChangeSet:
        ctx = self._context()
        if self._already_moved(ctx):
            return self._finish_importers(ctx)
        analysis, part, shared = self._partition(ctx)
        layout, tree = analysis.layout, analysis.layout.tree
        references = SourceReferences(ctx)
        imported = references.imported_names()
        if part.extracted and shared != ctx.destination:
            return self._extract_first(ctx, part.extracted, shared, imported)
        along = [*part.along, *part.extracted]  # into the destination when it is `shared`
        listed = set(ctx.source.summary.dunder_all or ())
        ctx.requested += tuple(n for n in along if n in imported or n in listed)
        code = analysis.run(along)
        _refuse_dynamic_access(ctx, tree)
        graph = ImportGraph(self.index)
        _refuse_new_cycle(ctx, code, graph)
        SourceEdit(ctx, layout, code, imported).plan()
        if ctx.destination_module is None:
            NewDestination(ctx, layout, code).plan()
        else:
            ExistingDestination(ctx, layout, code).plan()
        mode = self._mode(ctx)
        ImporterRewrite(ctx, mode, references.hub(), graph).plan()
        if mode is ImporterMode.DIRECT:
            references.rewrite_attribute_access()
        if references.can_delete_source():
            ctx.edits.delete(ctx.source.path)
        if code.type_only:
            ctx.warnings.append(_type_only_warning(ctx, code.type_only))
        changes = self._change_set(ctx)
        along = sorted(ctx.moved - set(ctx.asked)) if ctx.asked else []
        if along:
            where = ctx.relative_path(ctx.destination_path)
            changes.notes.append(
                f"also moved to {where}: {_listed(along)} (only the moved code needs "
                f"{'it' if len(along) == 1 else 'them'})"
            )
        return changes

    def outline(self) -> MoveOutline:
        """What the move would take along and extract, without planning its edits
        (cheap: the source alone is read); MoveError when it would refuse."""
        ctx = self._context()
        _analysis, part, shared = self._partition(ctx)
        if shared == ctx.destination:
            return MoveOutline(tuple(part.along + part.extracted), (), shared)
        return MoveOutline(tuple(part.along), tuple(part.extracted), shared)

    def _partition(self, ctx: MoveContext) -> tuple[MovedCodeAnalysis, Partition, str]:
        """The source's statements, what the move takes along or extracts, and where
        to; refuses when no layout is free of import cycles."""
        tree = parse_tree(ctx.edits.text(ctx.source.path), ctx.source.path)
        analysis = MovedCodeAnalysis(ctx, ModuleLayout(tree, ctx.edits.lines(ctx.source.path)))
        analysis.check_requested()
        part = partition_move(analysis.graph, set(ctx.requested))
        shared = self._shared(ctx)
        refuse_partition(ctx, part, self.request, shared)
        return analysis, part, shared

    def _shared(self, ctx: MoveContext) -> str:
        return self.request.shared_to or default_shared(ctx.source, self.index.config.components)

    def _extract_first(
        self, ctx: MoveContext, extracted: list[str], shared: str, imported: set[str]
    ) -> ChangeSet:
        """Two moves planned in a row: the shared definitions to `shared` (importers
        kept: the source re-exports them), then the request, planned on the index as
        the first move leaves it."""
        listed = set(ctx.source.summary.dunder_all or ())
        # Public names stay the source's API (a library's users import them too).
        plain = {n for n in extracted if n.startswith("_") and n not in imported | listed}
        request = MoveRequest(ctx.source.name, tuple(extracted), shared, ImporterMode.KEEP)
        step = _Extraction(self.index, request, self.edits.read_text, frozenset(plain))
        first = step._plan()
        texts = {c.path: c.new_text for c in first.changes if not c.deleted}
        read_text = self.edits.read_text

        def read_after(path: Path) -> str:
            return texts[path] if path in texts else read_text(path)

        later = overlay(self.index, first)
        rest = MoveSymbol(later, replace(self.request, extract=False), read_after)
        combined = first.then(rest._plan())
        shared_path = step.shared_path
        shown = sorted(extracted, key=lambda n: (n.startswith("_"), n))
        more = f" and {len(shown) - 3} more" if len(shown) > 4 else ""
        listed_names = ", ".join(shown[:3] if more else shown)
        combined.title += f" (extracts {listed_names}{more} to {shared_path.name})"
        combined.notes.insert(
            0,
            f"extracted to {ctx.relative_path(shared_path)}: {_listed(extracted)} (the moved "
            f"code and code staying in `{ctx.source.name}` both need "
            f"{'it' if len(extracted) == 1 else 'them'}; `{ctx.source.name}` imports "
            f"{'it' if len(extracted) == 1 else 'them'} from there)",
        )
        return combined

    def _already_moved(self, ctx: MoveContext) -> bool:
        """Every name already lives in the destination and the source re-exports it."""
        definitions = ctx.source.summary.definitions
        if ctx.destination_module is None or any(n in definitions for n in ctx.requested):
            return False
        for name in ctx.requested:
            result = self.index.resolve(ctx.source.name, name, ctx.source)
            if result.outcome is not Outcome.DEFINED or result.module != ctx.destination:
                return False
        return True

    def _finish_importers(self, ctx: MoveContext) -> ChangeSet:
        """Re-running a move that is done only rewrites importers still left behind."""
        ctx.moved = set(ctx.requested)
        references = SourceReferences(ctx)
        mode = self._mode(ctx)
        ImporterRewrite(ctx, mode, references.hub(), ImportGraph(self.index)).plan()
        if mode is ImporterMode.DIRECT:
            references.rewrite_attribute_access()
        return self._change_set(ctx)

    def _change_set(self, ctx: MoveContext) -> ChangeSet:
        """The edits, with every import block they touch left in isort's order."""
        for path, edit in ctx.edits.edited():
            module = self.index.by_path.get(path)
            if module is not None:
                newline = newline_of(edit.original)
                keep_blocks_sorted(edit, module.summary.imports, ctx.order, newline)
        if ctx.edits.touched(ctx.source.path):  # lines as written, import blocks sorted
            ctx.warnings.extend(string_references(ctx))
        changes = ctx.edits.change_set(self._title(ctx))
        changes.warnings.extend(ctx.warnings)
        return changes

    # -- the two modules ---------------------------------------------------------
    def _context(self) -> MoveContext:
        request = self.request
        source = self.index.get(request.source)
        if source is None:
            raise MoveError(f"no module `{request.source}` in the workspace")
        names = tuple(dict.fromkeys(request.names))
        destination = request.destination or default_destination(
            source, names, self.index.config.components
        )
        existing, path = self._destination(source, destination)
        return MoveContext(
            self.index, source, destination, path, existing, names, self.edits, asked=names
        )

    def _destination(self, source: Module, name: str) -> tuple[Module | None, Path]:
        if name == source.name:
            raise MoveError(f"`{name}` is the module the code is in already", source.path)
        if not all(part.isidentifier() for part in name.split(".")):
            raise MoveError(f"`{name}` is not a module name")
        if not self.index.in_workspace(name):
            top = name.partition(".")[0]
            raise MoveError(
                f"`{name}` is outside the workspace: no package `{top}` under "
                f"{self.index.config.root}"
            )
        existing = self.index.get(name, source)
        if existing is not None:
            return existing, existing.path
        parent, _, base = name.rpartition(".")
        directory = source.root / parent.replace(".", "/") if parent else source.root
        parent_module = self.index.get(parent, source) if parent else None
        namespace = parent_module is None and directory.is_dir()
        is_package = parent_module is not None and parent_module.is_package
        if parent and not (is_package or namespace):
            raise MoveError(f"cannot create `{name}`: `{parent}` is not a package; create it first")
        path = directory / f"{base}.py"
        if path.exists() or (directory / base).is_dir():
            raise MoveError(f"{path} exists but is not part of the workspace (excluded?)")
        return None, path

    def _mode(self, ctx: MoveContext) -> ImporterMode:
        if self.request.importers is not None:
            return self.request.importers
        policy = self.index.config.policy_for(ctx.source.name)
        return ImporterMode.DIRECT if policy is ImportPolicy.DIRECT else ImporterMode.HUB

    def _title(self, ctx: MoveContext) -> str:
        names = ", ".join(ctx.asked)
        return f"Move {names} from {ctx.source.name} to {ctx.destination}"


class _Extraction(MoveSymbol):
    """The first step of a move that extracts shared definitions: they go to the shared
    module, the source imports them back (re-exporting all but its private ones), and
    no importer changes."""

    def __init__(
        self,
        index: WorkspaceIndex,
        request: MoveRequest,
        read_text: ReadText,
        plain: frozenset[str],
    ) -> None:
        super().__init__(index, request, read_text)
        self.plain = plain
        self.shared_path = Path()

    def _context(self) -> MoveContext:
        ctx = super()._context()
        ctx.asked = ()
        ctx.plain = self.plain
        self.shared_path = ctx.destination_path
        return ctx

    def _title(self, ctx: MoveContext) -> str:
        return f"Extract {', '.join(ctx.requested)} from {ctx.source.name} to {ctx.destination}"


def _listed(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _through_own_package(source: str, destination: str, package: str) -> bool:
    """`django.db.models.query` reads `from django.db.models import Field` while that
    package initialises it: a destination in the same package reading the package is
    in the very same state, so it joins the cycle as the source was in it."""
    prefix = package + "."
    return source.startswith(prefix) and destination.startswith(prefix)


def _type_only_warning(ctx: MoveContext, names: list[str]) -> str:
    listed = ", ".join(f"`{n}`" for n in names)
    return (
        f"`{ctx.destination}` imports {listed} from `{ctx.source.name}` under "
        "`if TYPE_CHECKING:` (the moved code names them only in annotations Python does "
        "not evaluate); code that resolves those annotations at runtime "
        "(`typing.get_type_hints`, pydantic, SQLAlchemy `Mapped[...]`) will not find them"
    )


def _refuse_dynamic_access(ctx: MoveContext, tree: ast.Module) -> None:
    """`globals()["Invoice"]` reads the source's namespace by string: cannot be rewritten."""
    if "globals()" not in ctx.edits.text(ctx.source.path):
        return
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Subscript, ast.Call)):
            continue
        key: ast.expr | None = None
        if isinstance(node, ast.Subscript) and _is_globals_call(node.value):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_globals_call(node.func.value)
            and node.args
        ):
            key = node.args[0]
        if isinstance(key, ast.Constant) and key.value in ctx.moved:
            raise MoveError(
                f"`globals()[{key.value!r}]` reaches `{key.value}` by name in this module; "
                "carve cannot rewrite that: change it to a plain reference first",
                ctx.source.path,
                node.lineno,
            )


def _is_globals_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "globals"
        and not node.args
    )


def _refuse_new_cycle(ctx: MoveContext, code: MovedCode, graph: ImportGraph) -> None:
    """The source will import the destination; refuse if the destination reaches back."""
    source, destination = ctx.source.name, ctx.destination
    graph.add(source, destination)
    if ctx.destination_module is not None:  # its imports of the moved names go away
        graph.replace(
            ctx.destination_module,
            lambda s: (
                s.from_import
                and ctx.absolute(ctx.destination_module, s) == source  # type: ignore[arg-type]
                and all(n.name in ctx.moved for n in s.names)
            ),
        )
    for statement in code.needed:
        if statement.context is not ImportContext.MODULE:
            continue
        for target in graph.targets(ctx.source, statement):
            if target != destination:
                graph.add(destination, target)
    chain = graph.path(destination, source)
    if chain is None:
        return
    if _through_own_package(source, destination, chain[1]) and ImportGraph(ctx.index).reaches(
        source, chain[1]
    ):
        return  # the source's own cycle with its package: the verifier judges the reads
    if chain:
        cycle = " → ".join([source, *chain])
        raise MoveError(
            f"moving here would create an import cycle: {cycle}; "
            "choose another destination or move what it needs too",
            ctx.source.path,
        )
