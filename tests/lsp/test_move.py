"""The move refactor in the editor, end to end over stdio: `refactor.move` code actions
on a top-level definition, `carve.moveSymbol` applied through one captured
`workspace/applyEdit` (the new feature file created), refusals, stale buffers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .lsp_helpers import Editor

INVOICE = '''@dataclass
class Invoice:
    """An invoice, in cents."""

    # kept with the class
    amount: int = 0

    def total(self) -> int:
        return self.amount
'''
MODELS = (
    "from dataclasses import dataclass\n"
    "\n"
    "from .payment_models import Payment as Payment\n"
    "\n"
    '__all__ = ["Invoice", "Payment"]\n'
    "\n"
    "\n" + INVOICE
)
CLASS_LINE = 8  # 0-based: `@dataclass` is line 7
SHOP = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": MODELS,
    "apps/billing/payment_models.py": "class Payment:\n    pass\n",
    "apps/billing/legacy_models.py": "class Invoice:\n    pass\n",
    "apps/shop/__init__.py": "",
    "apps/shop/views.py": (
        "from apps.billing.models import Invoice, Payment\n\n\n"
        "def show(invoice: Invoice, payment: Payment) -> int:\n"
        "    return invoice.total()\n"
    ),
}
MOVED = "apps/billing/invoice_models.py"


async def start(editor: Editor) -> str:
    result = await editor.start(SHOP)
    options = result.capabilities.code_action_provider
    assert isinstance(options, types.CodeActionOptions)
    assert types.CodeActionKind.RefactorMove in (options.code_action_kinds or [])
    commands = result.capabilities.execute_command_provider.commands
    assert "carve.moveSymbol" in commands and "carve.pickMoveDestination" not in commands
    return editor.open("apps/billing/models.py")


async def move_actions(editor: Editor, uri: str, line: int) -> list[types.CodeAction]:
    return await editor.code_actions(uri, line, only=[types.CodeActionKind.RefactorMove])


async def execute(editor: Editor, command: types.Command) -> dict[str, object]:
    result = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command.command, arguments=command.arguments)
    )
    assert isinstance(result, dict)
    return result


def move_symbol(arguments: dict[str, object]) -> types.Command:
    return types.Command(title="Move", command="carve.moveSymbol", arguments=[arguments])


def save_all(editor: Editor) -> None:
    """Write every buffer the edit touched to disk, as a user saving would."""
    for uri in list(editor.texts):
        editor.save(uri)


def carve_check(root: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "carve", "check", str(root), "--format", "json", "--exit-zero"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [f["rule"] for f in json.loads(done.stdout)["findings"]]


async def test_move_actions_listed_and_applied(editor: Editor) -> None:
    uri = await start(editor)
    actions = await move_actions(editor, uri, CLASS_LINE)
    assert [a.title for a in actions] == [
        "Move `Invoice` to invoice_models.py",
        "Move to another feature file…",
    ]
    assert {a.kind for a in actions} == {types.CodeActionKind.RefactorMove}
    assert all(a.edit is None for a in actions), "edits are computed when the command runs"
    direct, picker = (a.command for a in actions)
    assert direct.command == "carve.moveSymbol"
    assert list(direct.arguments) == [
        {
            "uri": uri,
            "names": ["Invoice"],
            "destination": "apps.billing.invoice_models",
            "importers": None,
        }
    ]
    assert picker.command == "carve.pickMoveDestination"
    assert picker.arguments[0]["suggestions"][:2] == [
        "apps.billing.invoice_models",
        "apps.billing.legacy_models",
    ]
    resolved = await editor.client.code_action_resolve_async(actions[0])
    assert resolved.command == direct and resolved.edit is None  # VS Code resolves first

    outcome = await execute(editor, direct)
    assert outcome["applied"] is True
    (params,) = editor.client.applied_edits
    create, new_file, source = params.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == editor.uri(MOVED)
    assert new_file.text_document.uri == create.uri and new_file.text_document.version is None
    assert source.text_document.uri == uri and source.text_document.version == 1
    editor.apply(params.edit)
    save_all(editor)

    moved = (editor.root / MOVED).read_text(encoding="utf-8")
    assert INVOICE in moved  # byte-identical, decorator, docstring and comment included
    assert "from dataclasses import dataclass\n" in moved
    models = (editor.root / "apps/billing/models.py").read_text(encoding="utf-8")
    assert "from .invoice_models import Invoice as Invoice\n" in models
    assert "class Invoice" not in models and '__all__ = ["Invoice", "Payment"]' in models
    rules = carve_check(editor.root)
    assert "broken-reexport" not in rules and "unresolved-import" not in rules


async def test_only_and_position_rules(editor: Editor) -> None:
    uri = await start(editor)
    assert await editor.code_actions(uri, CLASS_LINE, only=["quickfix"]) == []
    assert len(await editor.code_actions(uri, CLASS_LINE, only=["refactor"])) == 2
    assert await move_actions(editor, uri, 0) == []  # an import: nothing to move
    body = CLASS_LINE + 5  # inside the class
    assert len(await move_actions(editor, uri, body)) == 2  # asked for refactorings
    unfiltered = await editor.code_actions(uri, body)  # a lightbulb: header line only
    assert [a for a in unfiltered if a.kind == types.CodeActionKind.RefactorMove] == []
    titles = [a.title for a in await editor.code_actions(uri, CLASS_LINE)]
    assert "Move `Invoice` to invoice_models.py" in titles


async def test_refusal_is_an_error_and_applies_nothing(editor: Editor) -> None:
    uri = await start(editor)
    arguments = {"uri": uri, "names": ["Invoice"], "destination": "apps.billing.legacy_models"}
    with pytest.raises(JsonRpcException) as raised:
        await execute(editor, move_symbol(arguments))
    assert raised.value.code == -32803  # RequestFailed
    assert "already" in raised.value.message and "Invoice" in raised.value.message
    await editor.until(lambda: editor.client.messages)
    (shown,) = editor.client.messages
    assert shown.type == types.MessageType.Error and "Invoice" in shown.message
    assert editor.client.applied_edits == []
    assert not (editor.root / MOVED).exists()
    with pytest.raises(JsonRpcException) as bad:
        await execute(editor, move_symbol({"uri": uri}))
    assert bad.value.code == -32602  # InvalidParams: not a refusal, a malformed call


async def test_buffer_edited_after_listing(editor: Editor) -> None:
    """Actions name what moves, not where: the command plans against the buffer as it is
    when it runs (refused if the name is gone) and its edit carries that version."""
    uri = await start(editor)
    (direct, _picker) = await move_actions(editor, uri, CLASS_LINE)
    renamed = editor.texts[uri].replace("class Invoice:", "class Bill:")
    editor.replace(uri, renamed)
    with pytest.raises(JsonRpcException) as raised:
        await execute(editor, direct.command)
    assert raised.value.code == -32803 and "defines no `Invoice`" in raised.value.message
    assert editor.client.applied_edits == []

    version = editor.replace(uri, "# edited, unsaved\n" + MODELS)
    outcome = await execute(editor, direct.command)
    assert outcome["applied"] is True
    (params,) = editor.client.applied_edits
    source = params.edit.document_changes[-1]
    assert source.text_document.uri == uri and source.text_document.version == version
    editor.apply(params.edit)
    assert editor.texts[uri].startswith("# edited, unsaved\n")
    assert INVOICE in editor.texts[editor.uri(MOVED)]


PRICES = {
    "shop/__init__.py": "",
    "shop/models.py": (
        "class Base:\n    pass\n\n\nclass Customer(Base):\n    pass\n\n\n"
        "class SourcePrice(Base):\n    pass\n"
    ),
}


async def test_extraction_is_named_in_the_title_and_the_result(editor: Editor) -> None:
    await editor.start(PRICES)
    uri = editor.open("shop/models.py")
    (direct, _picker) = await move_actions(editor, uri, 8)
    assert (
        direct.title
        == "Move `SourcePrice` to source_price_models.py (extracts Base to base_models.py)"
    )
    outcome = await execute(editor, direct.command)
    assert outcome["applied"] is True
    assert outcome["notes"] == [
        "extracted to shop/base_models.py: `Base` (the moved code and code staying in "
        "`shop.models` both need it; `shop.models` imports it from there)"
    ]
    (params,) = editor.client.applied_edits
    editor.apply(params.edit)
    assert editor.texts[editor.uri("shop/base_models.py")] == "class Base:\n    pass\n"


async def test_extract_shared_setting_off_refuses(editor: Editor) -> None:
    await editor.start(PRICES, options={"move": {"extractShared": False}})
    uri = editor.open("shop/models.py")
    arguments = {"uri": uri, "names": ["SourcePrice"], "destination": "shop.price_models"}
    with pytest.raises(JsonRpcException) as raised:
        await execute(editor, move_symbol(arguments))
    assert raised.value.code == -32803 and "Extract them to a module both import" in (
        raised.value.message
    )
    assert editor.client.applied_edits == []
