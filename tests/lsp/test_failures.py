"""Failures the server must survive and say the right thing about: a `didChange` for a
document never opened, an index that cannot be built (status, one message, retried),
expected refusals (one info line, a proper JSON-RPC error) versus bugs (ERROR with a
traceback), and requests or notifications whose params do not deserialize.

Failures in core are injected by `faulty_server.py` through marker files."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from billing_project import BILLING
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage

from .lsp_helpers import Editor, close, make_client

BYPASS = "from apps.billing.invoice_models import Invoice\n\nprint(Invoice)\n"
FILES = {**BILLING, "apps/shop/views.py": BYPASS}
INVALID_PARAMS, CONTENT_MODIFIED, REQUEST_FAILED, INTERNAL_ERROR = -32602, -32801, -32803, -32603


@pytest.fixture
async def faulty(tmp_path: Path) -> AsyncIterator[Editor]:
    client = make_client()
    await client.start_io(sys.executable, str(Path(__file__).with_name("faulty_server.py")))
    try:
        yield Editor(client, tmp_path)
    finally:
        await close(client)


async def run(editor: Editor, command: str, *arguments: object) -> Any:
    return await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=list(arguments) or None)
    )


def logged(editor: Editor, level: types.MessageType | None = None) -> list[str]:
    return [m.message for m in editor.client.log_messages if level is None or m.type == level]


def raw(editor: Editor, method: str, params: dict[str, Any], msg_id: str | None) -> Future:
    """Send a message as a misbehaving client would (bypassing the client's types)."""
    fut: Future = Future()
    if msg_id is None:
        message: Any = JsonRPCNotification(method=method, jsonrpc="2.0", params=params)
    else:
        editor.client.protocol._request_futures[msg_id] = fut  # test-only: raw message
        message = JsonRPCRequestMessage(id=msg_id, method=method, jsonrpc="2.0", params=params)
    editor.client.protocol._send_data(message)
    return fut


def change(uri: str, version: int, *changes: Any) -> types.DidChangeTextDocumentParams:
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=list(changes),
    )


# -- didChange for a document never opened --------------------------------------------------
async def test_change_to_a_document_never_opened(editor: Editor) -> None:
    await editor.start(FILES)
    uri = editor.uri("apps/shop/views.py")
    start = types.Position(line=0, character=0)
    partial = types.TextDocumentContentChangePartial(
        range=types.Range(start=start, end=start), text="x = 1\n"
    )
    editor.client.text_document_did_change(change(uri, 2, partial))
    await editor.until(lambda: any("never opened" in m for m in logged(editor)))
    (line,) = [m for m in logged(editor, types.MessageType.Info) if "never opened" in m]
    assert uri in line and "\n" not in line
    assert (await run(editor, "carve.status"))["openDocuments"] == 0
    assert editor.client.messages == []  # no "carve: internal error: KeyError"

    # With the whole text, the server adopts the document as the client sees it.
    whole = types.TextDocumentContentChangeWholeDocument(text="x = 1\n" + BYPASS)
    editor.client.text_document_did_change(change(uri, 3, whole))
    (diag,) = await editor.diagnostics(uri, 3)
    assert diag.code == "hub-bypass" and diag.range.start.line == 1
    assert editor.client.messages == []


# -- an index that cannot be built ----------------------------------------------------------
async def test_index_failure_is_reported_once_and_retried(faulty: Editor) -> None:
    editor = faulty
    (editor.root / "FAIL_INDEX").write_text("", encoding="utf-8")
    await editor.start(FILES)
    status = await run(editor, "carve.status")
    assert status["state"] == "error" and status["ready"] is False
    assert "RuntimeError: injected: the index cannot be built" in status["error"]
    (project,) = status["projects"]
    assert project["state"] == "error" and project["error"] == status["error"]
    await editor.until(lambda: editor.client.messages)
    (shown,) = editor.client.messages
    assert shown.type == types.MessageType.Error and "injected" in shown.message
    errors = logged(editor, types.MessageType.Error)
    assert any("Traceback" in m and "injected" in m for m in errors)  # a bug: full story

    uri = editor.open("apps/shop/views.py")  # checks retry the build, which fails again
    assert await editor.diagnostics(uri, 1) == []
    version = editor.type_text(uri, 3, 0, "x = 1\n")
    assert await editor.diagnostics(uri, version) == []
    assert len(editor.client.messages) == 1  # told once, not per keystroke

    (editor.root / "FAIL_INDEX").unlink()
    editor.save(uri)
    await editor.until(
        lambda: [d.code for d in editor.client.diagnostics.get(uri, [])] == ["hub-bypass"]
    )
    status = await run(editor, "carve.status")
    assert (status["state"], status["error"], status["ready"]) == ("ready", None, True)
    assert status["projects"][0]["state"] == "ready" and status["projects"][0]["modules"] == 7


async def test_failed_rebuild_keeps_the_last_index_and_retries_on_save(faulty: Editor) -> None:
    editor = faulty
    await editor.start(FILES)
    uri = editor.open("apps/shop/views.py")
    assert [d.code for d in await editor.diagnostics(uri, 1)] == ["hub-bypass"]
    (editor.root / "FAIL_INDEX").write_text("", encoding="utf-8")
    added = editor.root / "apps/shop/orders.py"
    added.write_text("x = 1\n", encoding="utf-8")
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=added.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    await editor.until(lambda: editor.client.messages)
    status = await run(editor, "carve.status")
    assert status["state"] == "error" and "injected" in status["error"]
    assert status["projects"][0]["modules"] == 7  # the last good index still serves
    version = editor.replace(uri, "# edited\n" + BYPASS)
    (diag,) = await editor.diagnostics(uri, version)
    assert diag.code == "hub-bypass" and diag.range.start.line == 1

    (editor.root / "FAIL_INDEX").unlink()
    editor.save(uri)
    for _ in range(100):
        status = await run(editor, "carve.status")
        if status["state"] == "ready":
            break
        await asyncio.sleep(0.05)
    assert status["error"] is None and status["projects"][0]["modules"] == 8
    assert len(editor.client.messages) == 1


# -- refusals versus bugs -----------------------------------------------------------------------
async def test_refusals_are_answered_and_logged_on_one_line(editor: Editor) -> None:
    await editor.start(FILES)
    uri = editor.uri("apps/billing/invoice_models.py")
    with pytest.raises(JsonRpcException) as refused:
        await run(editor, "carve.moveSymbol", {"uri": uri, "names": ["Nope"]})
    assert refused.value.code == REQUEST_FAILED and "`Nope`" in refused.value.message
    with pytest.raises(JsonRpcException) as bad:
        await run(editor, "carve.moveSymbol", {"uri": uri})
    assert bad.value.code == INVALID_PARAMS and '"names"' in bad.value.message
    with pytest.raises(JsonRpcException) as unknown:
        await run(editor, "carve.noSuchCommand")
    assert unknown.value.code == INVALID_PARAMS and "carve.noSuchCommand" in unknown.value.message

    def infos() -> list[str]:
        return [m for m in logged(editor, types.MessageType.Info) if " answered " in m]

    await editor.until(lambda: len(infos()) == 3)
    first, second, third = infos()
    assert "workspace/executeCommand carve.moveSymbol answered RequestFailed" in first
    assert "`Nope`" in first
    assert "carve.moveSymbol answered InvalidParams" in second and '"names"' in second
    assert "carve.noSuchCommand answered InvalidParams" in third
    assert all("\n" not in m for m in infos())
    assert not [m for m in logged(editor) if "Traceback" in m]
    assert logged(editor, types.MessageType.Error) == []


async def test_fix_refused_versus_fix_crashed(faulty: Editor) -> None:
    editor = faulty
    await editor.start(FILES)
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri, 1)
    (action,) = [a for a in await editor.code_actions(uri, 0) if "from the hub" in a.title]

    (editor.root / "FAIL_FIX").write_text("", encoding="utf-8")
    with pytest.raises(JsonRpcException) as refused:
        await editor.client.code_action_resolve_async(action)
    assert refused.value.code == REQUEST_FAILED
    assert refused.value.message == (
        "carve: cannot apply this fix: injected: this fix would break an import"
    )
    await editor.until(lambda: any("codeAction/resolve answered" in m for m in logged(editor)))
    assert logged(editor, types.MessageType.Error) == []

    (editor.root / "FAIL_FIX").unlink()
    (editor.root / "CRASH_FIX").write_text("", encoding="utf-8")
    with pytest.raises(JsonRpcException) as crashed:
        await editor.client.code_action_resolve_async(action)
    assert crashed.value.code == INTERNAL_ERROR
    await editor.until(lambda: logged(editor, types.MessageType.Error))
    errors = logged(editor, types.MessageType.Error)
    assert any("Traceback" in m and "a bug in a fix planner" in m for m in errors)

    (editor.root / "CRASH_FIX").unlink()
    resolved = await editor.client.code_action_resolve_async(action)
    assert resolved.edit is not None  # still serving


# -- params that do not deserialize -----------------------------------------------------------
async def test_every_request_is_answered(editor: Editor) -> None:
    await editor.start(FILES)
    uri = editor.uri("apps/shop/views.py")
    cases = {
        "textDocument/codeAction": {"textDocument": {"uri": uri}},  # no range, no context
        "codeAction/resolve": {"data": 1},  # no title
        "workspace/executeCommand": {"arguments": []},  # no command
        "textDocument/diagnostic": {"textDocument": {}},  # no uri
        "workspace/diagnostic": {"previousResultIds": "nope"},
    }
    for number, (method, params) in enumerate(cases.items()):
        answer = raw(editor, method, params, f"bad-{number}")
        with pytest.raises(JsonRpcException) as raised:
            await asyncio.wait_for(asyncio.wrap_future(answer), 5)
        assert raised.value.code == INVALID_PARAMS, method
        assert raised.value.message.startswith("Invalid Params: "), raised.value.message

    with pytest.raises(JsonRpcException) as unknown:
        await asyncio.wait_for(asyncio.wrap_future(raw(editor, "carve/nothing", {}, "u1")), 5)
    assert unknown.value.code == -32601  # MethodNotFound

    def answered() -> list[str]:
        return [m for m in logged(editor, types.MessageType.Info) if "answered InvalidParams" in m]

    await editor.until(lambda: len(answered()) == len(cases))
    assert all("\n" not in m for m in answered())
    assert not [m for m in logged(editor) if "Traceback" in m]
    assert (await run(editor, "carve.status"))["state"] == "ready"


async def test_notification_with_invalid_params_is_dropped_on_one_line(editor: Editor) -> None:
    await editor.start(FILES)
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri, 1)
    raw(editor, "textDocument/didChange", {"textDocument": {"uri": uri}}, None)  # no changes
    await editor.until(lambda: logged(editor, types.MessageType.Warning))
    (line,) = logged(editor, types.MessageType.Warning)
    assert "textDocument/didChange" in line and "dropped" in line and "\n" not in line
    assert not [m for m in logged(editor) if "Traceback" in m]
    assert editor.client.messages == []
    version = editor.replace(uri, "# edited\n" + BYPASS)  # the server carries on
    assert [d.code for d in await editor.diagnostics(uri, version)] == ["hub-bypass"]


async def test_requests_after_shutdown_are_answered(editor: Editor) -> None:
    await editor.start(FILES)
    await editor.client.shutdown_async(None)
    with pytest.raises(JsonRpcException) as raised:
        await asyncio.wait_for(run(editor, "carve.status"), 5)
    assert raised.value.code == -32600  # InvalidRequest
    assert "shutting down" in raised.value.message
    editor.client.exit(None)
