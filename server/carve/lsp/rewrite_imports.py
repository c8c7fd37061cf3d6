"""`carve.rewriteImports` {mode: "direct"|"via-hub", target: module or package name or
null for every hub, paths?, limit?}: `carve imports` in the editor, planned against the
open buffers and applied as one WorkspaceEdit (registered in `carve.lsp.refactors`).
Files the verifier refused come back in the result's `warnings`; the hubs' importers
that policy keeps, and what is left beyond `limit`, in its `notes`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carve.core.changeset import ChangeSet
from carve.core.refactor.imports.hub_targets import ImportsError
from carve.core.refactor.imports.rewrite_imports import ImportsRequest, RewriteImports, RewriteMode

if TYPE_CHECKING:
    from carve.lsp.commands import RefactorRequest

REWRITE_IMPORTS_COMMAND = "carve.rewriteImports"


def plan_rewrite_imports(request: RefactorRequest, args: list[Any]) -> ChangeSet:
    """The `RefactorPlanner` behind carve.rewriteImports: every project of the session
    whose index knows the target (all of them when it is null)."""
    from carve.lsp.commands import CommandError, RefactorRefused

    if len(args) != 1 or not isinstance(args[0], dict):
        raise CommandError(f'{REWRITE_IMPORTS_COMMAND} expects one argument: {{"mode", …}}')
    try:
        imports = imports_request(args[0])
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    session = request.session
    session.refresh(request.snapshot)
    planned: list[ChangeSet] = []
    errors: list[str] = []
    for state in session.distinct_projects():
        if state.index is None:
            continue
        try:
            planned.append(RewriteImports(state.index, imports, request.read).plan())
        except ImportsError as exc:
            errors.append(str(exc))
    if not planned:
        raise RefactorRefused(errors[0] if errors else "no indexed carve project")
    combined = ChangeSet(planned[0].title)
    for changes in planned:
        combined.changes.extend(changes.changes)
        combined.warnings.extend(changes.warnings)
        combined.notes.extend(changes.notes)
    return combined


def imports_request(args: dict[str, Any]) -> ImportsRequest:
    """The command's arguments as a request; ValueError names the bad one."""
    try:
        mode = RewriteMode(args.get("mode"))
    except ValueError:
        raise ValueError('"mode" must be "direct" or "via-hub"') from None
    target = args.get("target")
    if target is not None and (not isinstance(target, str) or not target):
        raise ValueError('"target" must be a module or package name, or null for every hub')
    paths = args.get("paths") or []
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValueError('"paths" must be a list of globs relative to the project root')
    limit = args.get("limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError('"limit" must be a positive integer')
    return ImportsRequest(mode, target, tuple(paths), limit)
