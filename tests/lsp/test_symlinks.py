"""A workspace opened through a symlinked path (`~/work` → `/mnt/disk/work`, a checkout
under a linked directory): the index holds resolved paths, the editor speaks in the
paths it opened. Diagnostics, code actions, commands and edits all go back under the
client's URIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from billing_project import BILLING
from lsprotocol import types

from .lsp_helpers import SERVER, Editor, close, make_client, vscode
from .test_move import SHOP, move_symbol

BYPASS = "from apps.billing.invoice_models import Invoice\n\nprint(Invoice)\n"


@pytest.fixture
async def linked(tmp_path: Path) -> AsyncIterator[Editor]:
    """An editor whose workspace folder is `link/`, a symlink to `real/`."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    client = make_client()
    await client.start_io(*SERVER)
    try:
        yield Editor(client, link)
    finally:
        await close(client)


def under_link(editor: Editor, uri: str) -> bool:
    return uri.startswith(editor.root.as_uri() + "/")


async def test_diagnostics_published_under_the_linked_uri(linked: Editor) -> None:
    await linked.start({**BILLING, "apps/shop/views.py": BYPASS})
    uri = linked.open("apps/shop/views.py")
    assert [d.code for d in await linked.diagnostics(uri, 1)] == ["hub-bypass"]
    version = linked.replace(uri, "print('fixed')\n")
    assert await linked.diagnostics(uri, version) == []
    assert all(under_link(linked, p.uri) for p in linked.client.publishes)


async def test_quick_fix_edits_the_linked_document(linked: Editor) -> None:
    await linked.start({**BILLING, "apps/shop/views.py": BYPASS})
    uri = linked.open("apps/shop/views.py")
    await linked.diagnostics(uri, 1)
    actions = await linked.code_actions(uri, 0)
    (action,) = [a for a in actions if "from the hub" in a.title]
    resolved = await linked.client.code_action_resolve_async(action)
    assert resolved.edit is not None
    (change,) = resolved.edit.document_changes
    assert change.text_document.uri == uri and change.text_document.version == 1
    linked.apply(resolved.edit)
    assert linked.texts[uri].startswith("from apps.billing.models import Invoice\n")
    assert await linked.diagnostics(uri) == []


async def test_move_edits_open_and_closed_files_under_linked_uris(linked: Editor) -> None:
    await linked.start(SHOP)
    uri = linked.open("apps/billing/models.py")
    actions = await linked.code_actions(uri, 8, only=[types.CodeActionKind.RefactorMove])
    assert actions and actions[0].command is not None
    arguments = actions[0].command.arguments[0]
    assert arguments["uri"] == uri
    result = await linked.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="carve.moveSymbol",
            arguments=move_symbol({**arguments, "importers": "direct"}).arguments,
        )
    )
    assert result["applied"] is True
    assert result["files"] and all(under_link(linked, f) for f in result["files"])
    (params,) = linked.client.applied_edits
    uris = [
        c.uri if isinstance(c, types.CreateFile) else c.text_document.uri
        for c in params.edit.document_changes
    ]
    assert linked.uri("apps/billing/invoice_models.py") in uris
    assert linked.uri("apps/shop/views.py") in uris  # not open: its client path all the same
    assert all(under_link(linked, u) for u in uris)
    (source,) = [
        c
        for c in params.edit.document_changes
        if isinstance(c, types.TextDocumentEdit) and c.text_document.uri == uri
    ]
    assert source.text_document.version == 1


async def test_pulled_diagnostics_under_linked_uris(linked: Editor) -> None:
    files = {**BILLING, "apps/shop/views.py": BYPASS, "apps/shop/orders.py": BYPASS}
    await linked.start(files, capabilities=vscode(pull=True))
    uri = linked.open("apps/shop/views.py")
    report = await linked.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert [d.code for d in report.items] == ["hub-bypass"]
    workspace = await linked.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in workspace.items}
    assert set(by_uri) == {uri, linked.uri("apps/shop/orders.py")}
    assert by_uri[uri].version == 1


async def test_check_workspace_names_linked_uris(linked: Editor) -> None:
    await linked.start({**BILLING, "apps/shop/views.py": BYPASS})
    result = await linked.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.checkWorkspace", arguments=[])
    )
    assert [r["uri"] for r in result["results"]] == [linked.uri("apps/shop/views.py")]


async def test_linked_directory_inside_the_workspace(editor: Editor) -> None:
    """A package linked in from elsewhere is walked under its link's name: documents
    opened there keep that name (only the workspace folder's own path is resolved)."""
    shared = editor.root.parent / f"{editor.root.name}-shared"
    (shared / "shop").mkdir(parents=True)
    (shared / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (shared / "shop" / "views.py").write_text(BYPASS, encoding="utf-8")
    files = {k: v for k, v in BILLING.items() if not k.startswith("apps/shop")}
    editor.root.mkdir(parents=True, exist_ok=True)
    (editor.root / "apps").mkdir()
    (editor.root / "apps" / "shop").symlink_to(shared / "shop", target_is_directory=True)
    await editor.start(files)
    uri = editor.open("apps/shop/views.py")
    assert [d.code for d in await editor.diagnostics(uri, 1)] == ["hub-bypass"]
