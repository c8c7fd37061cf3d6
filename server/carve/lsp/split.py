"""Splitting a module in the editor: a `refactor.extract` action on a module carve finds
too long (or holding too many classes), and `carve.splitModule`.

`carve.splitModule {uri}` answers the proposed plan as data (files, members, line counts,
what each file imports) for the client to show and edit; `carve.splitModule {uri, plan}`
applies a plan as one WorkspaceEdit. Clients without a plan editor get a second action
that applies the proposal as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from carve.core.changeset import ChangeSet
from carve.core.findings import Finding
from carve.core.refactor.request import ImporterMode, MoveError
from carve.core.refactor.split.plan import LAYOUTS, PlannedFile, SplitPlan, propose_split
from carve.core.refactor.split.planner import SplitModule

if TYPE_CHECKING:
    from carve.lsp.commands import RefactorRequest

SPLIT_KIND = types.CodeActionKind.RefactorExtract.value
SPLIT_COMMAND = "carve.splitModule"
PICK_COMMAND = "carve.pickSplitPlan"  # client-side plan editor; calls carve.splitModule
TRIGGERS = frozenset({"file-too-long", "too-many-classes"})


def split_actions(uri: str, findings: list[Finding]) -> list[dict[str, Any]]:
    """The split actions for a document with a `file-too-long`/`too-many-classes`
    finding, as JSON-shaped `CodeAction`s."""
    if not any(f.rule in TRIGGERS for f in findings):
        return []
    arguments: dict[str, Any] = {"uri": uri}
    proposed = {**arguments, "apply": True}
    return [
        _action("Split module by feature…", PICK_COMMAND, arguments),
        _action("Split module by feature (as proposed)", SPLIT_COMMAND, proposed),
    ]


def _action(title: str, command: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": title,
        "kind": SPLIT_KIND,
        "command": {"title": title, "command": command, "arguments": [arguments]},
    }


def plan_split_module(request: RefactorRequest, args: list[Any]) -> ChangeSet | dict[str, Any]:
    """The planner behind carve.splitModule (see carve.lsp.refactors)."""
    from carve.lsp.commands import CommandError, RefactorRefused

    if len(args) != 1 or not isinstance(args[0], dict) or not isinstance(args[0].get("uri"), str):
        raise CommandError('carve.splitModule expects one argument: {"uri", "plan"?, …}')
    options = args[0]
    path = request.path(options["uri"])
    index, _config = request.index_for(path)
    module = index.by_path.get(path)
    if module is None:
        raise CommandError(f"{path} is not a module of this workspace")
    try:
        given = options.get("plan")
        if given is None:
            plan = propose_split(index, module.name, options.get("layout"), request.read)
            if not options.get("apply"):
                return {"applied": False, "plan": plan_to_json(plan)}
        else:
            plan = plan_from_json(given, module.name)
        importers = options.get("importers")
        mode = ImporterMode(importers) if importers else None
        return SplitModule(index, plan, mode, request.read).plan()
    except MoveError as exc:
        raise RefactorRefused(str(exc)) from None


def plan_to_json(plan: SplitPlan) -> dict[str, Any]:
    return {
        "source": plan.source,
        "layout": plan.layout,
        "hub": plan.hub,
        "files": [
            {
                "module": p.module,
                "names": p.names,
                "shared": p.shared,
                "lines": p.lines,
                "imports": p.needs,
            }
            for p in plan.files
        ],
    }


def plan_from_json(data: object, source: str) -> SplitPlan:
    """A plan the client sends back; ValueError (InvalidParams) when malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError('"plan" must be {"files": [{"module", "names", "shared"?}], …}')
    layout = data.get("layout") or "flat"
    if layout not in LAYOUTS:
        raise ValueError('"layout" must be "flat" or "package"')
    files = []
    for entry in data["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("module"), str):
            raise ValueError("every planned file needs a module name")
        names = entry.get("names")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f'`{entry["module"]}`: "names" must be a list of names')
        files.append(PlannedFile(entry["module"], list(names), bool(entry.get("shared"))))
    hub = data.get("hub") or []
    return SplitPlan(str(data.get("source") or source), layout, files, list(hub))
