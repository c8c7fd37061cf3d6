"""The server keeps serving: syntax errors mid-typing, huge files, files deleted while
open, no Python at all, bad requests, cancelled requests, configuration changes."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future

import pytest
from billing_project import BILLING
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcRequestCancelled
from pygls.protocol import JsonRPCRequestMessage

from .lsp_helpers import Editor

BYPASS = "from apps.billing.invoice_models import Invoice\n"


async def test_syntax_error_mid_typing(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri, 1)
    version = editor.type_text(uri, 1, 0, "def broken(:\n")
    (diag,) = await editor.diagnostics(uri, version)
    assert diag.code == "parse-error" and diag.range.start.line == 1
    version = editor.type_text(uri, 1, 11, "x")  # def broken(x:
    version = editor.type_text(uri, 1, 12, ")")  # def broken(x):
    version = editor.type_text(uri, 2, 0, "    pass\n")
    assert [d.code for d in await editor.diagnostics(uri, version)] == ["hub-bypass"]


async def test_twenty_thousand_line_file(editor: Editor) -> None:
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(5000))
    await editor.start({**BILLING, "apps/shop/big.py": BYPASS + body})
    uri = editor.open("apps/shop/big.py")
    diags = await editor.diagnostics(uri, 1)
    assert {d.code for d in diags} == {"hub-bypass", "file-too-long"}
    version = editor.type_text(uri, 20000, 0, "x = 1\n")
    assert {d.code for d in await editor.diagnostics(uri, version)} == {
        "hub-bypass",
        "file-too-long",
    }
    (action,) = [a for a in await editor.code_actions(uri, 0) if "from the hub" in a.title]
    resolved = await editor.client.code_action_resolve_async(action)
    (change,) = resolved.edit.document_changes
    assert len(change.edits) == 1 and change.edits[0].range.end.line == 0  # minimal, not whole-file


async def test_file_deleted_while_open(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri, 1)
    (editor.root / "apps/shop/views.py").unlink()
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Deleted)]
        )
    )
    for _ in range(100):  # the watched-file event triggers a (debounced) re-index
        status = await editor.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="carve.status")
        )
        if status["projects"][0]["builds"] >= 2:
            break
        await asyncio.sleep(0.05)
    assert status["projects"][0]["modules"] == 7  # still indexed, from the buffer
    version = editor.replace(uri, BYPASS + "print(Invoice)\n")
    assert [d.code for d in await editor.diagnostics(uri, version)] == ["hub-bypass"]


async def test_workspace_without_python(editor: Editor) -> None:
    await editor.start({"README.md": "# nothing here\n"})
    uri = editor.open("README.md", "# nothing here\n")
    report = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.checkWorkspace")
    )
    assert report["findings"] == 0
    assert await editor.code_actions(uri, 0) == []


async def test_invalid_params_and_failing_requests_are_answered(editor: Editor) -> None:
    await editor.start(BILLING)
    fut: Future = Future()
    editor.client.protocol._request_futures["bad-1"] = fut  # test-only: raw message
    editor.client.protocol._send_data(
        JsonRPCRequestMessage(
            id="bad-1",
            method="textDocument/codeAction",
            jsonrpc="2.0",
            params={"textDocument": {"uri": editor.uri("x.py")}},
        )
    )
    with pytest.raises(JsonRpcInvalidParams):
        await asyncio.wait_for(asyncio.wrap_future(fut), 5)
    with pytest.raises(JsonRpcException) as raised:
        await editor.client.code_action_resolve_async(
            types.CodeAction(title="not ours", data={"nothing": 1})
        )
    assert raised.value.code == JsonRpcInvalidParams.CODE
    logged = editor.client.log_messages  # the client's mistakes: one info line each
    await editor.until(lambda: sum("answered InvalidParams" in m.message for m in logged) == 2)
    assert not any("Traceback" in m.message for m in logged)
    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.status")
    )
    assert status["ready"] is True  # still serving


async def test_cancelled_request(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    editor.client.hold_edits = asyncio.Event()  # the server waits on our applyEdit answer
    task = asyncio.ensure_future(
        editor.client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(command="carve.fixAll"),
            msg_id="fix-all-1",
        )
    )
    await editor.until(lambda: editor.client.applied_edits)
    editor.client.cancel_request(types.CancelParams(id="fix-all-1"))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wait_for(task, 10)
    editor.client.hold_edits.set()
    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.status")
    )
    assert status["ready"] is True  # the server carries on


async def test_config_file_change_reloads_without_restart(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    uri = editor.open("apps/shop/views.py")
    (diag,) = await editor.diagnostics(uri, 1)
    assert diag.severity == types.DiagnosticSeverity.Warning
    pyproject = editor.root / "pyproject.toml"
    pyproject.write_text('[tool.carve]\nseverity = { hub-bypass = "error" }\n', encoding="utf-8")
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    published = editor.client.diagnostics
    await editor.until(
        lambda: published[uri] and published[uri][0].severity == types.DiagnosticSeverity.Error
    )


async def test_editor_settings_yield_to_project_settings(editor: Editor) -> None:
    options = {"severity": {"hub-bypass": "info"}, "maxLines": 1, "logLevel": "debug"}
    files = {**BILLING, "apps/shop/views.py": BYPASS + "x = 1\n"}
    await editor.start(files, config="max-lines = 100", options=options)
    uri = editor.open("apps/shop/views.py")
    (diag,) = await editor.diagnostics(uri, 1)  # max-lines: the project's 100 wins over 1
    assert diag.severity == types.DiagnosticSeverity.Information  # project is silent here
    editor.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"carve": {"ignore": ["hub-bypass"]}})
    )
    published = editor.client.diagnostics
    await editor.until(lambda: uri in published and not published[uri])
