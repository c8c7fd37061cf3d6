"""The move refactor in the editor: `refactor.move` code actions and `carve.moveSymbol`.

Listing actions is cheap (index lookups only); the edit is computed when the command
runs. Wiring (owned by the LSP layer):

    # carve/lsp/refactors.py
    from carve.lsp.commands import register_refactor
    from carve.lsp.move import plan_move_symbol

    register_refactor("carve.moveSymbol", plan_move_symbol)

and, in the code-action handler, for `refactor`/`refactor.move` requests:
`move_code_actions(ls.session, path, params.range.start.line)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from carve.core.changeset import ChangeSet
from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.edits import ReadText
from carve.core.refactor.move import MoveSymbol
from carve.core.refactor.naming import default_destination
from carve.core.refactor.request import ImporterMode, MoveError, MoveRequest

if TYPE_CHECKING:
    from carve.lsp.commands import RefactorRequest

MOVE_KIND = "refactor.move"
MOVE_COMMAND = "carve.moveSymbol"
PICK_COMMAND = "carve.pickMoveDestination"  # client-side picker; calls carve.moveSymbol


def move_code_actions(session_or_index: Any, path: Path, line: int) -> list[dict[str, Any]]:
    """`refactor.move` actions for the top-level definition on `line` (0-based, LSP).

    Returns LSP `CodeAction` objects as plain JSON-shaped dicts: "Move `Invoice` to
    invoice_models.py" (runs carve.moveSymbol with the conventional destination) and
    "Move to another feature file…" (runs the client's picker command, which then calls
    carve.moveSymbol with the chosen destination).
    """
    index = _index_of(session_or_index, path)
    module = index.by_path.get(path) if index is not None else None
    if index is None or module is None:
        return []
    name = _definition_at(module, line + 1)
    if name is None:
        return []
    destination = default_destination(module, (name,), index.config.components)
    uri = path.as_uri()
    arguments = {"uri": uri, "names": [name], "destination": destination, "importers": None}
    file_name = destination.rpartition(".")[2] + ".py"
    title = f"Move `{name}` to {file_name}"
    picker = {
        "uri": uri,
        "names": [name],
        "source": module.name,
        "suggestions": _suggestions(index, module, destination),
    }
    return [
        {
            "title": title,
            "kind": MOVE_KIND,
            "command": {"title": title, "command": MOVE_COMMAND, "arguments": [arguments]},
        },
        {
            "title": "Move to another feature file…",
            "kind": MOVE_KIND,
            "command": {
                "title": "Move to another feature file…",
                "command": PICK_COMMAND,
                "arguments": [picker],
            },
        },
    ]


def plan_move_command(
    index: WorkspaceIndex, args: dict[str, Any], read_text: ReadText
) -> ChangeSet:
    """Plan `carve.moveSymbol` {uri, names, destination?, importers?}; MoveError or
    ValueError on refusal or bad arguments. Reads files through `read_text` (open
    buffers win over disk); writes nothing."""
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
    request = MoveRequest(module.name, tuple(names), destination, mode)
    return MoveSymbol(index, request, read_text).plan()


def plan_move_symbol(request: RefactorRequest, args: list[Any]) -> ChangeSet:
    """The `RefactorPlanner` for carve.lsp.commands.register_refactor."""
    from carve.lsp.commands import CommandError

    if len(args) != 1 or not isinstance(args[0], dict):
        raise CommandError('carve.moveSymbol expects one argument: {"uri", "names", …}')
    path = request.path(_string(args[0], "uri"))
    index, _config = request.index_for(path)
    try:
        return plan_move_command(index, args[0], request.read)
    except MoveError as exc:
        raise CommandError(str(exc)) from None


def path_from_uri(uri: str) -> Path:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        raise ValueError(f"not a file URI: {uri}")
    return Path(unquote(parsed.path))


def _string(args: dict[str, Any], key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str):
        raise ValueError(f'carve.moveSymbol expects "{key}" (a string)')
    return value


def _index_of(session_or_index: Any, path: Path) -> WorkspaceIndex | None:
    if isinstance(session_or_index, WorkspaceIndex):
        return session_or_index
    found = session_or_index.index_for(path)
    return found[0] if found is not None else None


def _definition_at(module: Module, line: int) -> str | None:
    for definition in module.summary.definitions.values():
        if definition.line <= line <= definition.end_line:
            return definition.name
    return None


def _suggestions(index: WorkspaceIndex, module: Module, default: str) -> list[str]:
    """The conventional destination first, then the feature files beside the module."""
    package = module.package
    siblings = sorted(
        m.name
        for m in index.modules()
        if m.package == package and not m.is_package and m is not module and m.name != default
    )
    return [default, *siblings]
