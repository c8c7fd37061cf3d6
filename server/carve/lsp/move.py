"""The move refactor in the editor: `refactor.move` code actions and `carve.moveSymbol`.

Listing actions is cheap (index lookups only); the edit is computed when the command
runs, against the buffers as they are then (names, not positions, say what moves, so
an action listed before an edit still means the same thing after it). Registered in
`carve.lsp.refactors`; listed by `carve.lsp.code_actions` for `refactor.move` requests.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from lsprotocol.converters import get_converter

from carve.core.changeset import ChangeSet
from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.edits.edit_set import ReadText
from carve.core.refactor.edits.naming import default_destination
from carve.core.refactor.move.planner import MoveSymbol
from carve.core.refactor.request import ImporterMode, MoveError, MoveRequest
from carve.lsp.server import path_of

if TYPE_CHECKING:
    from carve.lsp.commands import RefactorRequest
    from carve.lsp.server import CarveServer
    from carve.lsp.session import Document, Session, Snapshot

MOVE_KIND = types.CodeActionKind.RefactorMove.value
MOVE_COMMAND = "carve.moveSymbol"
PICK_COMMAND = "carve.pickMoveDestination"  # client-side picker; calls carve.moveSymbol
PICK_TITLE = "Move to another feature file…"
_CONVERTER = get_converter()


# -- listing (cheap) ---------------------------------------------------------------------
async def code_actions(
    ls: CarveServer, snapshot: Snapshot, doc: Document, line: int, anywhere: bool
) -> list[types.CodeAction]:
    """The `refactor.move` actions for the definition at `line` (0-based) of `doc`.

    `anywhere`: offer them on any line of the definition (the client asked for
    refactorings); otherwise only on its first line, so a lightbulb does not follow
    the cursor through every class body.
    """
    found = await ls.session.run(_list, ls.session, snapshot, doc, line, anywhere)
    return [_CONVERTER.structure(action, types.CodeAction) for action in found]


def _list(
    session: Session, snapshot: Snapshot, doc: Document, line: int, anywhere: bool
) -> list[dict[str, Any]]:
    """On the analysis thread: the index brought up to date with the buffers, then
    lookups only."""
    session.refresh(snapshot)
    return move_code_actions(
        session, doc.path, line, uri=doc.uri, anywhere=anywhere, read_text=snapshot.read
    )


def move_code_actions(
    session_or_index: Session | WorkspaceIndex,
    path: Path,
    line: int,
    *,
    uri: str | None = None,
    anywhere: bool = True,
    read_text: ReadText | None = None,
) -> list[dict[str, Any]]:
    """`refactor.move` actions for the top-level definition on `line` (0-based, LSP),
    as JSON-shaped `CodeAction`s: "Move `Invoice` to invoice_models.py" (runs
    carve.moveSymbol with the conventional destination) and "Move to another feature
    file…" (runs the client's picker command, which then calls carve.moveSymbol)."""
    index = _index_of(session_or_index, path)
    module = index.by_path.get(path) if index is not None else None
    if index is None or module is None:
        return []
    name = _definition_at(module, line + 1, anywhere)
    if name is None:
        return []
    uri = uri or path.as_uri()
    destination = default_destination(module, (name,), index.config.components)
    picker = {
        "uri": uri,
        "names": [name],
        "source": module.name,
        "suggestions": _suggestions(index, module, destination),
    }
    actions = [_action(PICK_TITLE, PICK_COMMAND, picker)]
    if _can_land(index, module, name, destination):
        arguments = {"uri": uri, "names": [name], "destination": destination, "importers": None}
        title = f"Move `{name}` to {destination.rpartition('.')[2]}.py"
        title += _extraction_note(index, MoveRequest(module.name, (name,), destination), read_text)
        actions.insert(0, _action(title, MOVE_COMMAND, arguments))
    return actions


def _extraction_note(
    index: WorkspaceIndex, request: MoveRequest, read_text: ReadText | None
) -> str:
    """ " (extracts Base, TimestampMixin to base_models.py)" when the move would; the
    source alone is read. A move that would refuse says so when it runs."""
    try:
        outline = MoveSymbol(index, request, read_text).outline()
    except MoveError:
        return ""
    if not outline.extracted:
        return ""
    names = ", ".join(outline.extracted)
    return f" (extracts {names} to {outline.shared.rpartition('.')[2]}.py)"


def _action(title: str, command: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": title,
        "kind": MOVE_KIND,
        "command": {"title": title, "command": command, "arguments": [arguments]},
    }


def _index_of(session_or_index: Session | WorkspaceIndex, path: Path) -> WorkspaceIndex | None:
    if isinstance(session_or_index, WorkspaceIndex):
        return session_or_index
    found = session_or_index.index_for(path)
    return found[0] if found is not None else None


def _definition_at(module: Module, line: int, anywhere: bool) -> str | None:
    """The top-level definition (column 0: not under `if`/`try`/`with`) at `line`."""
    for definition in module.summary.definitions.values():
        last = definition.end_line if anywhere else definition.line
        if definition.column == 0 and definition.line <= line <= last:
            return definition.name
    return None


def _can_land(index: WorkspaceIndex, module: Module, name: str, destination: str) -> bool:
    """Whether the conventional destination could take `name` (else only the picker)."""
    if destination == module.name:
        return False
    existing = index.get(destination, module)
    return existing is None or name not in existing.summary.definitions


def _suggestions(index: WorkspaceIndex, module: Module, default: str) -> list[str]:
    """The conventional destination first, then the feature files beside the module."""
    package = module.package
    siblings = sorted(
        m.name
        for m in index.children(package, module)
        if not m.is_package and m is not module and m.name != default
    )
    return [default, *siblings] if default != module.name else siblings


# -- the command -------------------------------------------------------------------------
def plan_move_symbol(request: RefactorRequest, args: list[Any]) -> ChangeSet:
    """The `RefactorPlanner` behind carve.moveSymbol (see carve.lsp.refactors)."""
    from carve.lsp.commands import CommandError, RefactorRefused

    if len(args) != 1 or not isinstance(args[0], dict):
        raise CommandError('carve.moveSymbol expects one argument: {"uri", "names", …}')
    path = request.path(_string(args[0], "uri"))
    index, _config = request.index_for(path)
    extract = request.session.settings.extract_shared
    try:
        return plan_move_command(index, args[0], request.read, extract)
    except MoveError as exc:
        raise RefactorRefused(str(exc)) from None


def plan_move_command(
    index: WorkspaceIndex, args: dict[str, Any], read_text: ReadText, extract: bool = True
) -> ChangeSet:
    """Plan `carve.moveSymbol` {uri, names, destination?, importers?, sharedTo?};
    MoveError on a refusal, ValueError on bad arguments. `extract`: the editor's
    `carve.move.extractShared`. Reads files through `read_text` (open buffers win over
    disk); writes nothing."""
    path = path_from_uri(_string(args, "uri"))
    module = index.by_path.get(path)
    if module is None:
        raise ValueError(f"{path} is not a module of this workspace")
    names = args.get("names")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError('carve.moveSymbol expects "names": a non-empty list of names')
    destination = args.get("destination") or None
    if destination is not None and not isinstance(destination, str):
        raise ValueError('"destination" must be a module name such as "apps.billing.x"')
    importers = args.get("importers") or None
    try:
        mode = ImporterMode(importers) if importers else None
    except ValueError:
        raise ValueError('"importers" must be "keep", "hub" or "direct"') from None
    shared = args.get("sharedTo") or None
    if shared is not None and not isinstance(shared, str):
        raise ValueError('"sharedTo" must be a module name such as "apps.billing.base_models"')
    request = MoveRequest(module.name, tuple(names), destination, mode, extract, shared)
    return MoveSymbol(index, request, read_text).plan()


def path_from_uri(uri: str) -> Path:
    path = path_of(uri)
    if path is None:
        raise ValueError(f"not a file URI: {uri}")
    return path


def _string(args: dict[str, Any], key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str):
        raise ValueError(f'carve.moveSymbol expects "{key}" (a string)')
    return value
