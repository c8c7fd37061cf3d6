"""Splitting a module in the editor, over stdio: the `refactor.extract` action on a
module carve finds too long, `carve.splitModule` answering the proposed plan as data,
then applying an edited plan as one WorkspaceEdit."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .lsp_helpers import Editor

MODELS = (
    "class Model:\n    pass\n\n\n"
    "class Invoice(Model):\n    pass\n\n\n"
    "class InvoiceLine(Model):\n    invoice = Invoice\n\n\n"
    "class Payment(Model):\n    invoice = Invoice\n"
)
FILES = {
    "shop/__init__.py": "",
    "shop/models.py": MODELS,
    "shop/views.py": "from shop.models import Invoice, Payment\n",
}


async def execute(editor: Editor, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="carve.splitModule", arguments=[arguments])
    )
    assert isinstance(result, dict)
    return result


async def test_split_is_offered_proposed_and_applied(editor: Editor) -> None:
    await editor.start(FILES, config="max-lines = 10")
    uri = editor.open("shop/models.py")
    actions = await editor.code_actions(uri, 0, only=[types.CodeActionKind.RefactorExtract])
    assert [a.title for a in actions] == [
        "Split module by feature…",
        "Split module by feature (as proposed)",
    ]
    assert actions[0].command.command == "carve.pickSplitPlan"

    proposed = await execute(editor, {"uri": uri})
    assert proposed["applied"] is False and editor.client.applied_edits == []
    plan = proposed["plan"]
    assert [(f["module"], f["names"]) for f in plan["files"]] == [
        ("shop.base_models", ["Model"]),
        ("shop.invoice_models", ["Invoice", "InvoiceLine"]),
        ("shop.payment_models", ["Payment"]),
    ]
    assert plan["files"][2]["imports"] == ["shop.base_models", "shop.invoice_models"]

    plan["files"][1]["names"].append("Payment")  # the user's edit: one file for both
    del plan["files"][2]
    outcome = await execute(editor, {"uri": uri, "plan": plan})
    assert outcome["applied"] is True, outcome
    (params,) = editor.client.applied_edits
    editor.apply(params.edit)
    invoices = editor.texts[editor.uri("shop/invoice_models.py")]
    assert "class Payment(Model):" in invoices and invoices.startswith("from .base_models import")
    hub = editor.texts[uri]
    assert "from .invoice_models import Payment as Payment\n" in hub


async def test_a_bad_plan_is_refused(editor: Editor) -> None:
    await editor.start(FILES)
    uri = editor.open("shop/models.py")
    plan = {"files": [{"module": "shop.x_models", "names": ["Nope"]}]}
    with pytest.raises(JsonRpcException) as raised:
        await execute(editor, {"uri": uri, "plan": plan})
    assert raised.value.code == -32803 and "no top-level definition `Nope`" in (
        raised.value.message
    )
    with pytest.raises(JsonRpcException) as bad:
        await execute(editor, {"uri": uri, "plan": {"files": "x"}})
    assert bad.value.code == -32602
