"""Code actions: quick fixes and `source.fixAll.carve` (listed cheaply, edits computed
on resolve) and `refactor.move` (listed from the index, carrying a command that plans
when it runs; see carve.lsp.move).

A quick fix's `data` names the document version it was listed for; resolving it after
the document moved on answers ContentModified instead of an edit for old text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.exceptions import JsonRpcContentModified, JsonRpcException, JsonRpcInvalidParams

from carve.core.changeset import ChangeSet
from carve.core.findings import Finding, Span
from carve.core.fixes import (
    SUPPRESS,
    FixError,
    SuppressionEdit,
    auto_fix,
    offered_fixes,
    plan_fix,
    plan_fix_all,
    suppression_edit,
)
from carve.lsp import move, split
from carve.lsp.convert import (
    EditSupport,
    UnsupportedEdit,
    diagnostic,
    snippet_escape,
    workspace_edit,
)
from carve.lsp.positions import LineIndex
from carve.lsp.protocol import REQUEST_FAILED
from carve.lsp.server import path_of
from carve.lsp.session import Document, Snapshot

if TYPE_CHECKING:
    from carve.lsp.server import CarveServer

FIX_ALL = "source.fixAll.carve"
FIX_ALL_KEY = "fixAll"


_CONVERTER = get_converter()


def register(server: CarveServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                FIX_ALL,
                move.MOVE_KIND,
                split.SPLIT_KIND,
            ],
            resolve_provider=True,
        ),
    )
    async def code_action(
        ls: CarveServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        actions = await list_actions(ls, params)
        if actions and not _resolves_edits(ls):
            return [await resolve_action(ls, a) if a.command is None else a for a in actions]
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: CarveServer, action: types.CodeAction) -> types.CodeAction:
        return await resolve_action(ls, action)


def _resolves_edits(ls: CarveServer) -> bool:
    text_document = ls.client_capabilities.text_document
    code_action = text_document.code_action if text_document else None
    support = code_action.resolve_support if code_action else None
    return support is not None and "edit" in support.properties


def _shows_disabled(ls: CarveServer) -> bool:
    """Whether the client shows a disabled action with its reason (VS Code does)."""
    text_document = ls.client_capabilities.text_document
    code_action = text_document.code_action if text_document else None
    return bool(code_action and code_action.disabled_support)


def _wants(only: list[str] | None, kind: str) -> bool:
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


async def current_findings(ls: CarveServer, snapshot: Snapshot, doc: Document) -> list[Finding]:
    """The document's findings at its snapshot version (cached by the last check)."""
    session = ls.session
    cached = session.findings.get(doc.path)
    if cached is not None and cached[0] == doc.version:
        return cached[1]
    findings = (await session.run(session.check, snapshot, {doc.path})).get(doc.path, [])
    if ls.current_version(doc.uri) == doc.version:
        session.findings[doc.path] = (doc.version, findings)
    return findings


async def list_actions(ls: CarveServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    path = path_of(params.text_document.uri)
    if path is None or not ls.session.ready.is_set():
        return []
    snapshot = ls.snapshot()
    doc = snapshot.documents.get(path)
    if doc is None:
        return []
    only = [str(k) for k in params.context.only] if params.context.only else None
    actions: list[types.CodeAction] = []
    if _wants(only, types.CodeActionKind.QuickFix.value) or _wants(only, FIX_ALL):
        actions += await _fixes(ls, snapshot, doc, params.range, only)
    if _wants(only, move.MOVE_KIND):
        line = params.range.start.line
        actions += await move.code_actions(ls, snapshot, doc, line, anywhere=only is not None)
    if _wants(only, split.SPLIT_KIND) and (only is not None or _on_trigger(params)):
        findings = await current_findings(ls, snapshot, doc)
        found = split.split_actions(doc.uri, findings)
        actions += [_CONVERTER.structure(action, types.CodeAction) for action in found]
    return actions


def _on_trigger(params: types.CodeActionParams) -> bool:
    """A lightbulb offers the split only on the diagnostic that calls for it."""
    return any(d.code in split.TRIGGERS for d in params.context.diagnostics)


async def _fixes(
    ls: CarveServer, snapshot: Snapshot, doc: Document, range_: types.Range, only: list[str] | None
) -> list[types.CodeAction]:
    findings = await current_findings(ls, snapshot, doc)
    if not findings:
        return []
    lines = LineIndex(doc.text, ls.encoding)
    wanted = lines.span(range_)
    selected = [
        f for f in findings if f.span.line <= wanted.end_line and f.span.end_line >= wanted.line
    ]
    catalog = await ls.session.run(_catalog, ls, doc.path, snapshot, selected, findings)
    actions: list[types.CodeAction] = []
    if _wants(only, types.CodeActionKind.QuickFix.value):
        disabled_support = _shows_disabled(ls)
        for finding, fixes in catalog["fixes"]:
            diag = diagnostic(finding, lines)
            for fix, refused in fixes:
                if refused is not None and not disabled_support:
                    continue  # a fix that fails verification is never offered
                data = _data(doc, fix.key, finding)
                action = _action(
                    fix.title,
                    types.CodeActionKind.QuickFix,
                    data,
                    [diag],
                    fix.preferred and refused is None,
                )
                if refused is not None:
                    action.disabled = types.CodeActionDisabled(reason=refused)
                actions.append(action)
    if catalog["auto"] and _wants(only, FIX_ALL):
        data = {"uri": doc.uri, "version": doc.version, "key": FIX_ALL_KEY}
        actions.append(_action("Fix all carve issues in this file", FIX_ALL, data))
    return actions


def _catalog(
    ls: CarveServer, path: Path, snapshot: Snapshot, selected: list[Finding], all_: list[Finding]
) -> dict[str, Any]:
    ctx = ls.session.fix_context(path, snapshot)
    if ctx is None:
        return {"fixes": [], "auto": 0}
    fixes = [(f, offered_fixes(f, ctx)) for f in selected]
    auto = sum(1 for f in all_ if (a := auto_fix(f, ctx)) is not None and not a.edits_other_file)
    return {"fixes": fixes, "auto": auto}


def _data(doc: Document, key: str, finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
        "uri": doc.uri,
        "version": doc.version,
        "key": key,
        "rule": finding.rule,
        "line": span.line,
        "column": span.column,
        "symbol": finding.symbol,
    }


def _action(
    title: str,
    kind: str,
    data: dict[str, Any],
    diagnostics: list[types.Diagnostic] | None = None,
    preferred: bool = False,
) -> types.CodeAction:
    return types.CodeAction(
        title=title, kind=kind, diagnostics=diagnostics, is_preferred=preferred or None, data=data
    )


# -- resolve ---------------------------------------------------------------------------------
async def resolve_action(ls: CarveServer, action: types.CodeAction) -> types.CodeAction:
    if action.command is not None and action.data is None:
        return action  # a refactor: its command computes the edit when it runs
    data = action.data if isinstance(action.data, dict) else {}
    uri, key = data.get("uri"), data.get("key")
    if not isinstance(uri, str) or not isinstance(key, str):
        raise JsonRpcInvalidParams("not a carve code action (data lacks uri/key)")
    path = path_of(uri)
    snapshot = ls.snapshot()
    doc = snapshot.documents.get(path) if path else None
    if doc is None or doc.version != data.get("version"):
        raise JsonRpcContentModified("the document changed since the action was listed")
    findings = await current_findings(ls, snapshot, doc)
    support = EditSupport.of(ls.client_capabilities)
    try:
        planned = await ls.session.run(_plan, ls, doc, snapshot, findings, data)
        action.edit = _to_edit(planned, doc, snapshot, support, ls.encoding, ls.uris(snapshot))
    except (FixError, UnsupportedEdit) as exc:
        raise JsonRpcException(f"carve: cannot apply this fix: {exc}", REQUEST_FAILED) from exc
    if ls.current_version(doc.uri) != doc.version:
        raise JsonRpcContentModified("the document changed while the fix was computed")
    return action


def _plan(
    ls: CarveServer,
    doc: Document,
    snapshot: Snapshot,
    findings: list[Finding],
    data: dict[str, Any],
) -> ChangeSet | SuppressionEdit:
    ctx = ls.session.fix_context(doc.path, snapshot)
    if ctx is None:
        raise FixError("the project is not indexed")
    key = data["key"]
    if key == FIX_ALL_KEY:
        return plan_fix_all(findings, ctx, only=doc.path)
    finding = _find(findings, data)
    if key == SUPPRESS:
        edit = suppression_edit(doc.text, finding.span.line, finding.rule)
        if edit is None:
            raise FixError(f"`{finding.rule}` is already suppressed on that line")
        return edit
    return plan_fix(finding, key, ctx)


def _find(findings: list[Finding], data: dict[str, Any]) -> Finding:
    for finding in findings:
        span: Span = finding.span
        if (finding.rule, span.line, span.column) == (
            data.get("rule"),
            data.get("line"),
            data.get("column"),
        ):
            return finding
    raise JsonRpcContentModified("the finding is no longer there")


def _to_edit(
    planned: ChangeSet | SuppressionEdit,
    doc: Document,
    snapshot: Snapshot,
    support: EditSupport,
    encoding: str,
    uris: Callable[[Path], str],
) -> types.WorkspaceEdit:
    if isinstance(planned, ChangeSet):
        return workspace_edit(planned, support, snapshot.versions(), encoding, uris=uris)
    lines = LineIndex(doc.text, encoding)
    replacement = planned.replacement
    range_ = types.Range(
        start=lines.position_at(replacement.start), end=lines.position_at(replacement.end)
    )
    edit: types.TextEdit | types.SnippetTextEdit
    if support.snippets and support.document_changes and planned.reason_start is not None:
        text = replacement.text
        start, end = planned.reason_start, planned.reason_start + len(planned.reason)
        snippet = (
            snippet_escape(text[:start])
            + "${1:"
            + snippet_escape(text[start:end])
            + "}"
            + snippet_escape(text[end:])
        )
        edit = types.SnippetTextEdit(range=range_, snippet=types.StringValue(value=snippet))
    else:
        edit = types.TextEdit(range=range_, new_text=replacement.text)
    if support.document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=[edit])]
        )
    return types.WorkspaceEdit(changes={doc.uri: [edit]})  # type: ignore[list-item]
