"""initialize → indexing progress → shutdown, capabilities and watcher registration."""

from __future__ import annotations

from lsprotocol import types

from .lsp_helpers import BILLING, Editor


async def test_initialize_advertises_capabilities(editor: Editor) -> None:
    result = await editor.start(BILLING)
    caps = result.capabilities
    assert result.server_info is not None and result.server_info.name == "carve"
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert set(caps.code_action_provider.code_action_kinds) == {"quickfix", "source.fixAll.carve"}
    assert caps.code_action_provider.resolve_provider is True
    commands = set(caps.execute_command_provider.commands)
    assert {"carve.status", "carve.checkWorkspace", "carve.fixAll"} <= commands
    assert caps.diagnostic_provider.workspace_diagnostics is True
    assert caps.workspace.workspace_folders.supported is True

    (registration,) = editor.client.registrations
    assert registration.method == "workspace/didChangeWatchedFiles"
    globs = [w["globPattern"] for w in registration.register_options["watchers"]]
    assert globs == ["**/*.py", "**/pyproject.toml", "**/carve.toml"]

    (reports,) = editor.client.progress_reports.values()
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert "6 modules" in (reports[-1].message or "")

    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.status")
    )
    assert status["ready"] is True
    assert status["projects"][0]["modules"] == 6
    assert status["projects"][0]["hubs"] == 1
