"""Workspace pulls over real stdio, as vscode-languageclient 9 makes them (a
`workspace/diagnostic` every 2 s with the previous result ids, and a partial result
token): answered from the last whole-workspace check while nothing changed, and held
(a long poll) until something does when the client takes partial results."""

from __future__ import annotations

import asyncio
from typing import Any

from billing_project import BILLING
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from .lsp_helpers import Editor, vscode

BYPASS = "from apps.billing.invoice_models import Invoice\n\nprint(Invoice)\n"
FILES = {**BILLING, "apps/shop/views.py": BYPASS, "apps/shop/orders.py": BYPASS}


async def pull(
    editor: Editor, previous: dict[str, str], token: str | None = None
) -> types.WorkspaceDiagnosticReport:
    return await editor.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(
            previous_result_ids=[
                types.PreviousResultId(uri=u, value=v) for u, v in previous.items()
            ],
            partial_result_token=token,
        )
    )


async def workspace_checks(editor: Editor) -> int:
    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.status", arguments=[])
    )
    return int(status["workspaceChecks"])


def result_ids(report: Any) -> dict[str, str]:
    return {item.uri: item.result_id for item in report.items}


async def test_unchanged_workspace_answered_without_a_recheck(editor: Editor) -> None:
    await editor.start(FILES, capabilities=vscode(pull=True))
    first = await pull(editor, {})
    assert {i.uri.rpartition("/")[2] for i in first.items} == {"views.py", "orders.py"}
    assert all(isinstance(i, types.WorkspaceFullDocumentDiagnosticReport) for i in first.items)
    assert await workspace_checks(editor) == 1

    second = await pull(editor, result_ids(first))
    assert all(
        isinstance(i, types.WorkspaceUnchangedDocumentDiagnosticReport) for i in second.items
    )
    assert result_ids(second) == result_ids(first)
    assert await workspace_checks(editor) == 1  # answered from the held results

    # An edit (unsaved) is a change: the next pull re-checks and reports what moved.
    uri = editor.open("apps/shop/views.py")
    editor.replace(uri, "print('fixed')\n")
    third = await pull(editor, result_ids(first))
    assert await workspace_checks(editor) == 2
    by_uri = {i.uri: i for i in third.items}
    fixed = by_uri[uri]
    assert isinstance(fixed, types.WorkspaceFullDocumentDiagnosticReport)
    assert list(fixed.items) == [] and fixed.version == editor.versions[uri]
    orders = by_uri[editor.uri("apps/shop/orders.py")]
    assert isinstance(orders, types.WorkspaceUnchangedDocumentDiagnosticReport)


async def test_long_poll_holds_until_something_changes(editor: Editor) -> None:
    await editor.start(FILES, capabilities=vscode(pull=True))
    token = "pull-1"
    request = asyncio.ensure_future(pull(editor, {}, token))
    partials = editor.client.partials
    await editor.until(lambda: partials.get(token))
    (first,) = partials[token]  # the whole report first, as a partial result
    assert {i["uri"].rpartition("/")[2] for i in first["items"]} == {"views.py", "orders.py"}

    await asyncio.sleep(1.0)
    assert not request.done(), "nothing changed: the pull is held"
    assert len(partials[token]) == 1
    assert await workspace_checks(editor) == 1

    uri = editor.open("apps/shop/views.py")
    editor.replace(uri, "print('fixed')\n")
    await editor.until(lambda: len(partials[token]) > 1)
    (report,) = partials[token][1]["items"]  # only what changed
    assert report["uri"] == uri and report["items"] == [] and report["kind"] == "full"
    assert not request.done()

    await editor.client.shutdown_async(None)  # a held pull is answered, never left hanging
    try:
        final = await asyncio.wait_for(request, 5)
    except JsonRpcRequestCancelled:  # pygls cancels what is pending at shutdown
        return
    assert list(final.items) == []
