"""Diagnostics over real stdio: open/change/save, versions, cross-file re-publish,
the same findings as `carve check`, and pull diagnostics."""

from __future__ import annotations

from billing_project import BILLING
from lsprotocol import types

from carve.core.check import CheckOptions, run_checks
from carve.core.config import load_config
from carve.core.project import Project

from .lsp_helpers import Editor, vscode

BYPASS = "from apps.billing.invoice_models import Invoice\n\nprint(Invoice)\n"


async def test_diagnostics_on_open_carry_rule_source_and_link(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    editor.open("apps/shop/views.py")
    (diag,) = await editor.diagnostics("apps/shop/views.py", version=1)
    assert diag.code == "hub-bypass"
    assert diag.source == "carve"
    assert diag.severity == types.DiagnosticSeverity.Warning
    assert diag.code_description is not None
    assert diag.code_description.href.endswith("#hub-bypass")
    assert diag.range == types.Range(
        start=types.Position(line=0, character=40), end=types.Position(line=0, character=47)
    )
    assert "apps.billing.models" in diag.message


async def test_same_findings_as_carve_check(editor: Editor) -> None:
    files = {
        **BILLING,
        "apps/shop/views.py": BYPASS,
        "apps/shop/orders.py": "from apps.billing.models import Refund\n",
        "apps/billing/refund_models.py": "class Refund:\n    pass\n",
    }
    await editor.start(files)
    config = load_config(editor.root)
    index = Project(config, use_cache=False).build()
    expected = {
        (f.path.name, f.rule, f.span.line - 1, f.message)
        for f in run_checks(index, config, CheckOptions()).findings
    }
    got = set()
    for relative in ("apps/shop/views.py", "apps/shop/orders.py", "apps/billing/refund_models.py"):
        editor.open(relative)
        for d in await editor.diagnostics(relative):
            got.add((relative.rpartition("/")[2], d.code, d.range.start.line, d.message))
    assert got == expected
    assert {rule for _, rule, _, _ in got} == {
        "hub-bypass",
        "unresolved-import",
        "missing-reexport",
    }


async def test_change_is_checked_from_the_unsaved_buffer(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": "print('hi')\n"})
    editor.open("apps/shop/views.py")
    assert await editor.diagnostics("apps/shop/views.py", 1) == []
    version = editor.replace("apps/shop/views.py", BYPASS)
    (diag,) = await editor.diagnostics("apps/shop/views.py", version)
    assert diag.code == "hub-bypass"
    version = editor.replace("apps/shop/views.py", "print('fixed')\n")
    assert await editor.diagnostics("apps/shop/views.py", version) == []


async def test_rapid_changes_publish_only_the_latest_version(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": ""})
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri, 1)
    for character, text in enumerate("from apps.billing.invoice_models import Invoice\n"):
        editor.type_text(uri, 0, character, text)
    final = editor.versions[uri]
    (diag,) = await editor.diagnostics(uri, final)
    assert diag.code == "hub-bypass"
    versions = [p.version for p in editor.client.publishes if p.uri == uri]
    assert versions == sorted(versions)  # never an older version after a newer one
    assert len(versions) < final  # keystrokes were coalesced


async def test_save_republishes(editor: Editor) -> None:
    await editor.start(
        {**BILLING, "apps/shop/views.py": BYPASS}, options={"diagnosticsOnChange": False}
    )
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri, 1)
    version = editor.replace(uri, "print('clean')\n")
    editor.save(uri)
    assert await editor.diagnostics(uri, version) == []


async def test_removing_a_class_republishes_the_hub_and_its_importers(editor: Editor) -> None:
    files = {**BILLING, "apps/shop/views.py": "from apps.billing.models import Payment\n"}
    await editor.start(files)
    hub = editor.open("apps/billing/models.py")
    views = editor.open("apps/shop/views.py")
    feature = editor.open("apps/billing/payment_models.py")
    assert await editor.diagnostics(hub, 1) == []
    assert await editor.diagnostics(views, 1) == []
    editor.replace(feature, "# Payment moved away\n")
    hub_diags = await editor.until(lambda: editor.client.diagnostics.get(hub))
    assert [d.code for d in hub_diags] == ["broken-reexport"]
    views_diags = await editor.until(lambda: editor.client.diagnostics.get(views))
    assert [d.code for d in views_diags] == ["unresolved-import"]
    editor.replace(feature, "class Payment:\n    pass\n")
    await editor.until(lambda: not editor.client.diagnostics.get(hub))
    await editor.until(lambda: not editor.client.diagnostics.get(views))


async def test_closing_clears_diagnostics(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    uri = editor.open("apps/shop/views.py")
    assert len(await editor.diagnostics(uri, 1)) == 1
    editor.close(uri)
    await editor.until(
        lambda: (
            editor.client.publishes[-1].uri == uri and not editor.client.publishes[-1].diagnostics
        )
    )


async def test_emoji_and_cjk_columns_are_utf16(editor: Editor) -> None:
    text = "x = '😀漢字'; from apps.billing.invoice_models import Invoice\n"
    await editor.start({**BILLING, "apps/shop/views.py": text})
    uri = editor.open("apps/shop/views.py")
    (diag,) = await editor.diagnostics(uri, 1)
    # 😀 is 2 UTF-16 units, 漢 and 字 one each: the name starts 1 unit after its code point index
    start = text.index("Invoice")
    assert diag.range.start.character == start + 1
    assert diag.range.end.character == start + 1 + len("Invoice")


async def test_pull_diagnostics_document_and_workspace(editor: Editor) -> None:
    files = {
        **BILLING,
        "apps/shop/views.py": BYPASS,
        "apps/billing/refund_models.py": "class Refund:\n    pass\n",
    }
    await editor.start(files, capabilities=vscode(pull=True))
    uri = editor.open("apps/shop/views.py")
    report = await editor.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert [d.code for d in report.items] == ["hub-bypass"]
    again = await editor.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    workspace = await editor.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_file = {item.uri.rpartition("/")[2]: item for item in workspace.items}
    assert set(by_file) == {"views.py", "refund_models.py"}  # closed files included
    assert by_file["views.py"].version == 1
    assert by_file["refund_models.py"].version is None
    assert editor.client.publishes == []  # a pulling client is never pushed to


async def test_buffer_opened_during_indexing_wins_over_disk(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": "print('on disk')\n"}, wait=False)
    uri = editor.open("apps/shop/views.py", BYPASS)  # unsaved text differs from disk
    assert [d.code for d in await editor.diagnostics(uri, 1)] == ["hub-bypass"]


async def test_multi_root_workspace(editor: Editor) -> None:
    from .lsp_helpers import write_project

    first, second = editor.root / "first", editor.root / "second"
    write_project(first, {**BILLING, "apps/shop/views.py": BYPASS})
    write_project(second, {**BILLING, "apps/shop/views.py": BYPASS}, 'import-policy = "direct"')
    await editor.client.initialize_session(
        types.InitializeParams(
            capabilities=vscode(),
            workspace_folders=[
                types.WorkspaceFolder(uri=first.as_uri(), name="first"),
                types.WorkspaceFolder(uri=second.as_uri(), name="second"),
            ],
        )
    )
    await editor.until(editor.indexed)
    one = editor.open((first / "apps/shop/views.py").as_uri())
    two = editor.open((second / "apps/shop/views.py").as_uri())
    assert [d.code for d in await editor.diagnostics(one, 1)] == ["hub-bypass"]
    assert await editor.diagnostics(two, 1) == []  # that project imports directly
