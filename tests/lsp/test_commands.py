"""workspace/executeCommand: carve.fixAll, carve.checkWorkspace, carve.status, and a
refactor registered through the command registry (file creation, one WorkspaceEdit,
change annotation asking for a preview)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from billing_project import BILLING
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from .lsp_helpers import Editor, close, make_client

BYPASS = "from apps.billing.invoice_models import Invoice\n\nprint(Invoice)\n"


async def run(editor: Editor, command: str, *arguments: object) -> object:
    return await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=list(arguments) or None)
    )


async def test_fix_all_command_applies_one_workspace_edit(editor: Editor) -> None:
    files = {
        **BILLING,
        "apps/shop/views.py": BYPASS,
        "apps/shop/orders.py": "from apps.billing.payment_models import Payment\n",
        "apps/billing/refund_models.py": "class Refund:\n    pass\n",
    }
    await editor.start(files)
    views = editor.open("apps/shop/views.py")
    await editor.diagnostics(views)
    result = await run(editor, "carve.fixAll")
    assert result["applied"] is True
    (params,) = editor.client.applied_edits
    assert params.label == "Fix all carve issues"
    changes = {c.text_document.uri.rpartition("/")[2]: c for c in params.edit.document_changes}
    assert set(changes) == {"views.py", "orders.py", "models.py"}
    assert changes["views.py"].text_document.version == 1  # the open buffer's version
    assert changes["orders.py"].text_document.version is None  # closed: disk text
    editor.apply(params.edit)
    assert editor.texts[views] == "from apps.billing.models import Invoice\n\nprint(Invoice)\n"
    assert (
        "from .refund_models import Refund as Refund"
        in editor.texts[editor.uri("apps/billing/models.py")]
    )
    report = await run(editor, "carve.checkWorkspace")
    assert report["findings"] == 0


async def test_fix_all_for_one_file(editor: Editor) -> None:
    files = {**BILLING, "apps/shop/views.py": BYPASS, "apps/shop/orders.py": BYPASS}
    await editor.start(files)
    result = await run(editor, "carve.fixAll", {"uri": editor.uri("apps/shop/orders.py")})
    assert [f.rpartition("/")[2] for f in result["files"]] == ["orders.py"]


async def test_check_workspace_and_status(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    report = await run(editor, "carve.checkWorkspace")
    assert report["findings"] == 1 and report["byRule"] == {"hub-bypass": 1}
    (result,) = report["results"]
    assert result["uri"].endswith("apps/shop/views.py")
    assert result["diagnostics"][0]["code"] == "hub-bypass"
    status = await run(editor, "carve.status")
    assert status["positionEncoding"] == "utf-16"
    assert status["settings"]["diagnosticsOnChange"] is True
    with pytest.raises(JsonRpcInvalidParams):
        await run(editor, "carve.fixAll", 42)


async def test_migration_status_is_the_status_table(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    editor.open("apps/shop/views.py", BYPASS + "from apps.billing.models import Payment\n")
    status = await run(editor, "carve.migrationStatus")
    (project,) = status["projects"]
    assert project["root"] == str(editor.root)
    billing = next(p for p in project["packages"] if p["package"] == "apps.billing")
    assert billing["hubs"] == ["apps.billing.models"]
    assert billing["findings"] == {}
    assert (billing["outside_imports"], billing["via_hub"]) == (2, 1)  # the buffer counts


@pytest.fixture
async def refactor_editor(tmp_path: Path):  # type: ignore[no-untyped-def]
    client = make_client()
    await client.start_io(sys.executable, str(Path(__file__).with_name("refactor_server.py")))
    try:
        yield Editor(client, tmp_path)
    finally:
        await close(client)


async def test_registered_refactor_round_trip(refactor_editor: Editor) -> None:
    editor = refactor_editor
    result = await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    assert "carve.test.extractHello" in result.capabilities.execute_command_provider.commands
    views = editor.open("apps/shop/views.py")
    outcome = await run(editor, "carve.test.extractHello", {"uri": views})
    assert outcome["applied"] is True
    assert [u.rpartition("/")[2] for u in outcome["created"]] == ["hello.py"]
    (params,) = editor.client.applied_edits
    create, _hello, edit = params.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri.endswith("/apps/shop/hello.py")
    assert create.annotation_id == "carve.refactor"
    assert params.edit.change_annotations["carve.refactor"].needs_confirmation is True
    assert edit.text_document.version == 1
    assert all(isinstance(e, types.AnnotatedTextEdit) for e in edit.edits)
    editor.apply(params.edit)
    assert editor.texts[views].startswith("from .hello import hello\n")
    assert editor.texts[editor.uri("apps/shop/hello.py")] == "def hello():\n    return 'hi'\n"
    with pytest.raises(JsonRpcInvalidParams):
        await run(editor, "carve.test.extractHello", "nope")


async def test_refactor_declined_by_the_user(refactor_editor: Editor) -> None:
    editor = refactor_editor
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    views = editor.open("apps/shop/views.py")
    editor.client.accept_edits = False  # the user cancels the preview
    outcome = await run(editor, "carve.test.extractHello", {"uri": views})
    assert outcome["applied"] is False
