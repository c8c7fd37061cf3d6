"""initialize → indexing progress → shutdown, capabilities and watcher registration."""

from __future__ import annotations

from pathlib import Path

import pytest
from billing_project import BILLING
from lsprotocol import types

from .lsp_helpers import Editor


async def test_initialize_advertises_capabilities(editor: Editor) -> None:
    result = await editor.start(BILLING)
    caps = result.capabilities
    assert result.server_info is not None and result.server_info.name == "carve"
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    kinds = set(caps.code_action_provider.code_action_kinds)
    assert kinds == {"quickfix", "source.fixAll.carve", "refactor.move", "refactor.extract"}
    assert caps.code_action_provider.resolve_provider is True
    commands = set(caps.execute_command_provider.commands)
    assert {
        "carve.status",
        "carve.checkWorkspace",
        "carve.fixAll",
        "carve.moveSymbol",
        "carve.splitModule",
    } <= commands
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


def children(pid: int) -> list[str]:
    """Command lines of the processes whose parent is `pid`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
            if int(fields["PPid"]) == pid:
                found.append((status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, KeyError, ValueError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
async def test_cold_start_parses_in_parallel_without_hanging(editor: Editor) -> None:
    """Enough files for the parse pool: its workers come from a fork server, never from
    a fork of the threaded server (which would deadlock on the stdin reader's lock)."""
    files = {"pkg/__init__.py": ""}
    files.update({f"pkg/m{i}.py": f"class C{i}:\n    pass\n" for i in range(80)})
    await editor.start(files)
    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.status")
    )
    assert status["projects"][0]["modules"] == 81
    spawned = children(editor.client._server.pid)
    assert any("forkserver" in command for command in spawned), spawned


async def test_the_summary_cache_is_written_after_indexing(editor: Editor) -> None:
    """The start-up build leaves the summary cache for after index-ready (on a monorepo
    pickling it is a second the editor would wait), but it is still written: the next
    start reads no file it has not seen change."""
    await editor.start({"pkg/__init__.py": "", "pkg/models.py": "class Invoice:\n    pass\n"})
    cache = editor.root / ".carve_cache"
    assert await editor.until(lambda: list(cache.glob("index-*.pickle")))
