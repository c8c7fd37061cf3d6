"""`workspace/executeCommand`: carve's commands, and the registry refactors plug into.

A refactor registers a planner `(RefactorRequest, args) -> ChangeSet`; the server runs
it on the analysis thread against a snapshot of the open buffers and applies the
result with one `workspace/applyEdit` (file creations included), so one undo reverts
it. Clients that support change annotations are asked to show a preview first.

    from carve.lsp.commands import register_refactor
    register_refactor("carve.moveSymbol", plan_move_symbol)
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from carve import __version__
from carve.core.changeset import ChangeSet
from carve.core.config import Config
from carve.core.fixes import FixError, plan_fix_all
from carve.core.fixes.catalog import FixContext
from carve.core.index import WorkspaceIndex
from carve.core.status import migration_status
from carve.lsp.convert import EditSupport, UnsupportedEdit, workspace_edit
from carve.lsp.diagnostics import convert
from carve.lsp.protocol import REQUEST_FAILED
from carve.lsp.server import CarveServer, path_of
from carve.lsp.session import Session, Snapshot

log = logging.getLogger(__name__)


class CommandError(Exception):
    """Bad arguments: the command answers InvalidParams with the message."""


class RefactorRefused(Exception):
    """The refactor cannot be done safely (a planner's refusal): the command answers
    RequestFailed with the message, the user sees it (`window/showMessage`), and
    nothing is applied."""


@dataclass(frozen=True)
class RefactorRequest:
    """What a refactor planner may read: the session (indexes, configuration) and the
    open buffers. Runs on the analysis thread."""

    session: Session
    snapshot: Snapshot

    def path(self, uri: str) -> Path:
        path = path_of(uri)
        if path is None:
            raise CommandError(f"not a file URI: {uri}")
        return path

    def index_for(self, path: Path) -> tuple[WorkspaceIndex, Config]:
        """The project's index, brought up to date with the snapshot's buffers."""
        self.session.refresh(self.snapshot)
        found = self.session.index_for(path)
        if found is None:
            state = self.session.project_for(path)
            if state is not None and state.error:  # not the caller's fault: say why
                raise RefactorRefused(state.error)
            raise CommandError(f"{path} is not in an indexed carve project")
        return found

    def read(self, path: Path) -> str:
        """A file's current text: the unsaved buffer when open, else the disk."""
        return self.snapshot.read(path)


# A planner returns the change set to apply, or data to answer with and apply nothing
# (`carve.splitModule` without a plan answers the proposed plan).
RefactorPlanner = Callable[[RefactorRequest, list[Any]], "ChangeSet | dict[str, Any]"]
_REFACTORS: dict[str, RefactorPlanner] = {}


def register_refactor(name: str, planner: RefactorPlanner) -> None:
    """Make `name` a command applying `planner`'s change set (before the server starts)."""
    if not name.startswith("carve."):
        raise ValueError(f"carve commands are named carve.*, not {name!r}")
    _REFACTORS[name] = planner


def register(server: CarveServer) -> None:
    from carve.lsp import refactors  # noqa: F401  (refactors register themselves)

    @server.command("carve.status")
    def status(ls: CarveServer, *args: Any) -> dict[str, Any]:
        return {
            "version": __version__,
            "positionEncoding": ls.encoding,
            "pullDiagnostics": ls.diagnostics.pull,
            "workspaceChecks": ls.diagnostics.workspace_checks,
            **ls.session.status(),
        }

    @server.command("carve.checkWorkspace")
    async def check_workspace(ls: CarveServer, *args: Any) -> dict[str, Any]:
        await ls.session.ready.wait()
        snapshot = ls.snapshot()
        findings = await ls.session.run(ls.session.check, snapshot, None)
        return _report(ls, snapshot, findings)

    @server.command("carve.migrationStatus")
    async def migration_status(ls: CarveServer, *args: Any) -> dict[str, Any]:
        await ls.session.ready.wait()
        return await ls.session.run(_migration_status, ls.session, ls.snapshot())

    @server.command("carve.fixAll")
    async def fix_all(ls: CarveServer, *args: Any) -> dict[str, Any]:
        await ls.session.ready.wait()
        only = _uri_argument(args)
        return await apply_planned(ls, lambda request, _args: _plan_fix_all(request, only), [])

    for name, planner in _REFACTORS.items():
        server.command(name)(_refactor_command(planner))


def _refactor_command(planner: RefactorPlanner) -> Callable[..., Any]:
    async def command(ls: CarveServer, *args: Any) -> dict[str, Any]:
        await ls.session.ready.wait()
        return await apply_planned(ls, planner, list(args), confirm=True)

    return command


async def apply_planned(
    ls: CarveServer, planner: RefactorPlanner, args: list[Any], confirm: bool = False
) -> dict[str, Any]:
    """Plan on the analysis thread, then apply as one WorkspaceEdit (unless the
    documents moved on meanwhile: a stale edit is dropped, not sent)."""
    snapshot = ls.snapshot()
    request = RefactorRequest(ls.session, snapshot)
    try:
        changes = await ls.session.run(planner, request, args)
    except (CommandError, ValueError, TypeError) as exc:
        raise JsonRpcInvalidParams(f"carve: {exc}") from exc
    except (RefactorRefused, FixError) as exc:
        ls.show_error(f"carve: {exc}")
        raise JsonRpcException(f"carve: {exc}", REQUEST_FAILED) from exc
    if isinstance(changes, dict):
        return changes
    summary: dict[str, Any] = {
        "title": changes.title,
        "files": [ls.uri_for(c.path, snapshot) for c in changes.changes],
        "created": [ls.uri_for(c.path, snapshot) for c in changes.changes if c.is_creation],
        "warnings": list(changes.warnings),
        "notes": list(changes.notes),
    }
    if changes.is_empty():
        return {"applied": False, "reason": "nothing to change", **summary}
    stale = [d.uri for d in snapshot.documents.values() if ls.current_version(d.uri) != d.version]
    if stale:
        return {"applied": False, "reason": "documents changed while planning", **summary}
    try:
        edit = workspace_edit(
            changes,
            EditSupport.of(ls.client_capabilities),
            snapshot.versions(),
            ls.encoding,
            confirm,
            uris=ls.uris(snapshot),
        )
    except UnsupportedEdit as exc:
        ls.show_error(f"carve: {exc}")
        raise JsonRpcException(f"carve: {exc}", REQUEST_FAILED) from exc
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=changes.title)
    )
    return {"applied": result.applied, "reason": result.failure_reason, **summary}


def _uri_argument(args: tuple[Any, ...]) -> str | None:
    if not args:
        return None
    first = args[0]
    if isinstance(first, dict) and isinstance(first.get("uri"), str):
        return str(first["uri"])
    if isinstance(first, str):
        return first
    raise JsonRpcInvalidParams('carve.fixAll expects no argument or {"uri": "file:///…"}')


def _plan_fix_all(request: RefactorRequest, uri: str | None) -> ChangeSet:
    session = request.session
    only = request.path(uri) if uri else None
    findings = session.check(request.snapshot, {only} if only else None)
    combined = ChangeSet("Fix all carve issues")
    for state in session.distinct_projects():
        if state.index is None or (only is not None and session.project_for(only) is not state):
            continue
        ctx = FixContext(state.index, state.config, request.read)
        mine = [f for fs in findings.values() for f in fs if state.owns(f.path)]
        planned = plan_fix_all(mine, ctx, only)
        combined.changes.extend(planned.changes)
        combined.warnings.extend(planned.warnings)
    return combined


def _migration_status(session: Session, snapshot: Snapshot) -> dict[str, Any]:
    """`carve status --format json` per project, buffers included (the VS Code client's
    status table)."""
    findings = session.check(snapshot, None)
    projects = []
    for state in session.distinct_projects():
        if state.index is None:
            continue
        mine = [f for fs in findings.values() for f in fs if state.owns(f.path)]
        rows = migration_status(state.index, mine)
        projects.append({"root": str(state.root), "packages": [r.to_json() for r in rows]})
    return {"version": 1, "projects": projects}


def _report(ls: CarveServer, snapshot: Snapshot, findings: dict[Path, list[Any]]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    files: list[dict[str, Any]] = []
    for path in sorted(findings):
        items = findings[path]
        if not items:
            continue
        counts.update(f.rule for f in items)
        doc = snapshot.documents.get(path)
        text = doc.text if doc else _read(path)
        diagnostics = convert(items, text, ls.encoding)
        files.append(
            {
                "uri": ls.uri_for(path, snapshot),
                "diagnostics": [ls.protocol._converter.unstructure(d) for d in diagnostics],
            }
        )
    return {
        "findings": sum(counts.values()),
        "files": len(files),
        "byRule": dict(sorted(counts.items())),
        "results": files,
    }


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
