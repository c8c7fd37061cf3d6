"""`carve.rewriteImports` end to end over stdio: advertised, planned against unsaved
buffers, applied as one captured `workspace/applyEdit`, refused or malformed calls."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .lsp_helpers import Editor
from .test_move import carve_check, execute, save_all

FILES = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": (
        "from .invoice_models import Invoice as Invoice\n"
        "from .payment_models import Payment as Payment\n\n"
        '__all__ = ["Invoice", "Payment"]\n'
    ),
    "apps/billing/invoice_models.py": "class Invoice:\n    pass\n",
    "apps/billing/payment_models.py": "class Payment:\n    pass\n",
    "apps/shop/__init__.py": "",
    "apps/shop/views.py": "from apps.billing.models import Invoice, Payment\n",
    "apps/shop/admin.py": "import apps.billing.models as m\n\nprint(m.Invoice)\n",
}
POLICY = '[tool.carve.packages."apps.billing"]\nimport-policy = "direct"\n'


async def rewrite(editor: Editor, arguments: dict[str, object]) -> dict[str, object]:
    command = types.Command(title="Rewrite", command="carve.rewriteImports", arguments=[arguments])
    return await execute(editor, command)


async def test_direct_then_back_through_the_hub(editor: Editor) -> None:
    result = await editor.start({**FILES, "pyproject.toml": POLICY})
    assert "carve.rewriteImports" in result.capabilities.execute_command_provider.commands
    views = editor.open("apps/shop/views.py")
    editor.replace(views, "# unsaved\nfrom apps.billing.models import Invoice, Payment\n")

    outcome = await rewrite(editor, {"mode": "direct", "target": "apps.billing.models"})
    assert outcome["applied"] is True
    assert outcome["notes"] == ["2 importer files rewritten"]
    (params,) = editor.client.applied_edits
    editor.apply(params.edit)
    save_all(editor)
    assert (editor.root / "apps/shop/views.py").read_text(encoding="utf-8") == (
        "# unsaved\nfrom apps.billing.invoice_models import Invoice\n"
        "from apps.billing.payment_models import Payment\n"
    )
    admin = (editor.root / "apps/shop/admin.py").read_text(encoding="utf-8")
    assert "invoice_models.Invoice" in admin and "m.Invoice" not in admin

    back = await rewrite(editor, {"mode": "via-hub", "target": None, "limit": 1})
    assert back["applied"] is True and back["files"] == [editor.uri("apps/shop/admin.py")]
    assert "up to 1 more importer files beyond --limit 1: run again" in back["notes"]
    editor.apply(editor.client.applied_edits[-1].edit)
    rest = await rewrite(editor, {"mode": "via-hub", "target": "apps.billing.*"})
    assert rest["files"] == [editor.uri("apps/shop/views.py")]
    editor.apply(editor.client.applied_edits[-1].edit)
    save_all(editor)
    assert (editor.root / "apps/shop/views.py").read_text(encoding="utf-8") == (
        "# unsaved\nfrom apps.billing.models import Invoice, Payment\n"
    )
    admin = (editor.root / "apps/shop/admin.py").read_text(encoding="utf-8")
    assert "models.Invoice" in admin and "invoice_models" not in admin
    rules = carve_check(editor.root)
    assert not {"broken-reexport", "unresolved-import", "import-cycle"} & set(rules)


async def test_refused_and_malformed(editor: Editor) -> None:
    await editor.start(FILES)
    with pytest.raises(JsonRpcException) as refused:
        await rewrite(editor, {"mode": "direct", "target": "apps.nope"})
    assert refused.value.code == -32803 and "apps.nope" in refused.value.message
    with pytest.raises(JsonRpcException) as bad:
        await rewrite(editor, {"mode": "sideways", "target": None})
    assert bad.value.code == -32602
    kept = await rewrite(editor, {"mode": "direct", "target": "apps.billing.models"})
    assert kept["applied"] is False and kept["reason"] == "nothing to change"
    assert any("via-hub: outsiders import through it" in n for n in kept["notes"])
    assert editor.client.applied_edits == []
