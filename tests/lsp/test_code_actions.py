"""Every quick fix end to end: list (cheap, no edit) → resolve → apply → text checked →
the diagnostic is gone."""

from __future__ import annotations

import pytest
from billing_project import BILLING
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .lsp_helpers import Editor, vscode

REFUND = "class Refund:\n    pass\n"
BYPASS = "from apps.billing.invoice_models import Invoice\n"


async def fix(editor: Editor, relative: str, line: int, title_part: str) -> types.CodeAction:
    """Resolve and apply the quick fix whose title contains `title_part`."""
    uri = editor.uri(relative)
    if uri not in editor.texts:
        editor.open(relative)
    await editor.diagnostics(uri)
    actions = await editor.code_actions(uri, line)
    assert all(a.edit is None for a in actions), "edits are computed on resolve"
    (action,) = [a for a in actions if title_part in a.title]
    return await editor.resolve_and_apply(action)


async def clean(editor: Editor, relative: str) -> None:
    """Wait until the document's latest published diagnostics are empty."""
    uri = editor.uri(relative)
    published = editor.client.diagnostics
    await editor.until(lambda: uri in published and not published[uri])


async def test_hub_bypass_merged_into_existing_import_with_alias(editor: Editor) -> None:
    views = (
        "from apps.billing.models import Payment\n"
        "from apps.billing.invoice_models import Invoice as Inv\n"
        "\n"
        "print(Payment, Inv)\n"
    )
    await editor.start({**BILLING, "apps/shop/views.py": views})
    action = await fix(editor, "apps/shop/views.py", 1, "from the hub")
    assert action.kind == types.CodeActionKind.QuickFix and action.is_preferred
    assert action.diagnostics and action.diagnostics[0].code == "hub-bypass"
    assert editor.texts[editor.uri("apps/shop/views.py")] == (
        "from apps.billing.models import Invoice as Inv, Payment\n\nprint(Payment, Inv)\n"
    )
    await clean(editor, "apps/shop/views.py")


async def test_legacy_hub_import(editor: Editor) -> None:
    views = "from apps.billing.models import Invoice\n"
    await editor.start({**BILLING, "apps/shop/views.py": views}, config='import-policy = "direct"')
    await fix(editor, "apps/shop/views.py", 0, "Import `Invoice` from")
    assert editor.texts[editor.uri("apps/shop/views.py")] == (
        "from apps.billing.invoice_models import Invoice\n"
    )
    await clean(editor, "apps/shop/views.py")


@pytest.mark.parametrize("choice", ["refund_models", "remove"])
async def test_broken_reexport(editor: Editor, choice: str) -> None:
    hub = (
        "from .invoice_models import Invoice as Invoice, Refund as Refund\n"
        "from .payment_models import Payment as Payment\n"
        "\n"
        '__all__ = ["Invoice", "Payment", "Refund"]\n'
    )
    files = {**BILLING, "apps/billing/models.py": hub, "apps/billing/refund_models.py": REFUND}
    await editor.start(files)
    title = "from `apps.billing.refund_models`" if choice != "remove" else "Remove"
    await fix(editor, "apps/billing/models.py", 0, title)
    text = editor.texts[editor.uri("apps/billing/models.py")]
    if choice == "remove":
        assert text.startswith("from .invoice_models import Invoice as Invoice\n")
        assert text.endswith('__all__ = ["Invoice", "Payment"]\n')
        assert [d.code for d in await editor.diagnostics("apps/billing/models.py")] == []
    else:
        assert "from .refund_models import Refund as Refund\n" in text
        await clean(editor, "apps/billing/models.py")


async def test_missing_reexport_edits_the_hub(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/billing/refund_models.py": REFUND})
    await fix(editor, "apps/billing/refund_models.py", 0, "Re-export")
    hub = editor.texts[editor.uri("apps/billing/models.py")]
    assert "from .refund_models import Refund as Refund\n" in hub
    assert '__all__ = ["Invoice", "Payment", "Refund"]' in hub
    await clean(editor, "apps/billing/refund_models.py")


async def test_dunder_all_missing_entry(editor: Editor) -> None:
    hub = (
        "from .invoice_models import Invoice as Invoice\n"
        "from .payment_models import Payment as Payment\n"
        "\n"
        "__all__ = ['Invoice']\n"
    )
    await editor.start({**BILLING, "apps/billing/models.py": hub})
    await fix(editor, "apps/billing/models.py", 1, "Add `Payment`")
    assert editor.texts[editor.uri("apps/billing/models.py")].endswith(
        "__all__ = ['Invoice', 'Payment']\n"
    )
    await clean(editor, "apps/billing/models.py")


async def test_unresolved_import_one_action_per_home(editor: Editor) -> None:
    files = {
        **BILLING,
        "apps/shop/helpers.py": "def total(x):\n    return x\n",
        "apps/shop/views.py": "from apps.billing.models import total\n",
    }
    await editor.start(files)
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri)
    titles = [a.title for a in await editor.code_actions(uri, 0, only=["quickfix"])]
    assert titles == [
        "Import `total` from `apps.shop.helpers`",
        "Import `total` from `apps.billing.invoice_models`",
        "Suppress `unresolved-import` with `# carve: ignore`",
    ]
    await fix(editor, "apps/shop/views.py", 0, "apps.shop.helpers")
    assert editor.texts[uri] == "from apps.shop.helpers import total\n"
    await clean(editor, "apps/shop/views.py")


async def test_suppress_with_todo_reason(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    await fix(editor, "apps/shop/views.py", 0, "Suppress")
    assert editor.texts[editor.uri("apps/shop/views.py")] == (
        "from apps.billing.invoice_models import Invoice"
        "  # carve: ignore[hub-bypass] TODO: say why\n"
    )
    await clean(editor, "apps/shop/views.py")


async def test_suppress_with_snippet_when_supported(editor: Editor) -> None:
    files = {**BILLING, "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n"}
    await editor.start(files, capabilities=vscode(snippets=True))
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri)
    (action,) = [a for a in await editor.code_actions(uri, 0) if "Suppress" in a.title]
    resolved = await editor.client.code_action_resolve_async(action)
    (change,) = resolved.edit.document_changes
    (edit,) = change.edits
    assert isinstance(edit, types.SnippetTextEdit)
    assert edit.snippet.value == "  # carve: ignore[hub-bypass] ${1:TODO: say why}"


async def test_fix_all_source_action(editor: Editor) -> None:
    views = (
        "import os  # carve: ignore[hub-bypass] stale\n"
        "from apps.billing.invoice_models import Invoice\n"
        "from apps.billing.payment_models import Payment\n"
        "\n"
        "print(os, Invoice, Payment)\n"
    )
    await editor.start({**BILLING, "apps/shop/views.py": views})
    uri = editor.open("apps/shop/views.py")
    assert len(await editor.diagnostics(uri)) == 3
    actions = await editor.code_actions(uri, 0, only=["source.fixAll"])
    (action,) = actions
    assert action.kind == "source.fixAll.carve"
    await editor.resolve_and_apply(action)
    assert editor.texts[uri] == (
        "import os\n"
        "from apps.billing.models import Invoice, Payment\n"
        "\n"
        "print(os, Invoice, Payment)\n"
    )
    await clean(editor, "apps/shop/views.py")


async def test_resolving_for_an_old_version_is_refused(editor: Editor) -> None:
    await editor.start({**BILLING, "apps/shop/views.py": BYPASS})
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri)
    (action, *_) = await editor.code_actions(uri, 0)
    editor.type_text(uri, 1, 0, "# typing\n")
    with pytest.raises(JsonRpcException) as raised:
        await editor.client.code_action_resolve_async(action)
    assert raised.value.code == -32801  # ContentModified


async def test_client_without_resolve_gets_edits_eagerly(editor: Editor) -> None:
    files = {**BILLING, "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n"}
    await editor.start(files, capabilities=vscode(no_resolve=True, no_document_changes=True))
    uri = editor.open("apps/shop/views.py")
    await editor.diagnostics(uri)
    (action, *_) = await editor.code_actions(uri, 0)
    assert action.edit is not None and action.edit.changes is not None
    editor.apply(action.edit)
    assert editor.texts[uri] == "from apps.billing.models import Invoice\n"


# Routing validators through the `web.forms` hub reads `Widget` from a package that is
# still initialising (web.forms → fields → validators → web.forms): refused before listing.
UNSAFE = {
    "web/__init__.py": "",
    "web/core/__init__.py": "",
    "web/core/validators.py": "from web.forms.widgets import Widget\n\nDEFAULT = Widget\n",
    "web/forms/__init__.py": (
        "from web.forms.fields import FIELDS as FIELDS\n"
        "from web.forms.widgets import Widget as Widget\n"
    ),
    "web/forms/fields.py": "from web.core import validators\n\nFIELDS = validators\n",
    "web/forms/widgets.py": "class Widget:\n    pass\n",
}


@pytest.mark.parametrize("disabled_support", [True, False])
async def test_a_fix_that_fails_verification_is_not_offered(
    editor: Editor, disabled_support: bool
) -> None:
    capabilities = vscode()
    capabilities.text_document.code_action.disabled_support = disabled_support
    await editor.start(UNSAFE, capabilities=capabilities)
    uri = editor.open("web/core/validators.py")
    await editor.diagnostics(uri)
    actions = await editor.code_actions(uri, 0)
    hub = [a for a in actions if "from the hub" in a.title]
    if disabled_support:  # shown greyed out, with the reason
        (action,) = hub
        assert action.disabled is not None and not action.is_preferred
        assert "inside the import cycle" in action.disabled.reason
        assert "web.core.validators → web.forms → web.forms.fields" in action.disabled.reason
    else:
        assert hub == []
    assert any("Suppress" in a.title and a.disabled is None for a in actions)
