"""The editor surface of the move: code actions listed from the index, the command
planned through the same core planner (open buffers win over disk)."""

from __future__ import annotations

from pathlib import Path

import pytest
from move_harness import build_index, make_project

from carve.core.refactor.request import MoveError
from carve.lsp.move import move_code_actions, plan_move_command

FILES = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": "import os\n\n\nclass Invoice:\n    pass\n",
    "apps/billing/payment_models.py": "class Payment:\n    pass\n",
}


def test_actions_on_a_top_level_definition(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    path = root / "apps/billing/models.py"
    actions = move_code_actions(build_index(root), path, 3)  # 0-based: `class Invoice:`
    assert [a["title"] for a in actions] == [
        "Move `Invoice` to invoice_models.py",
        "Move to another feature file…",
    ]
    assert {a["kind"] for a in actions} == {"refactor.move"}
    command = actions[0]["command"]
    assert command["command"] == "carve.moveSymbol"
    assert command["arguments"] == [
        {
            "uri": path.as_uri(),
            "names": ["Invoice"],
            "destination": "apps.billing.invoice_models",
            "importers": None,
        }
    ]
    picker = actions[1]["command"]["arguments"][0]
    assert picker["suggestions"] == ["apps.billing.invoice_models", "apps.billing.payment_models"]
    assert move_code_actions(build_index(root), path, 0) == []  # `import os`: nothing


def test_command_plans_with_unsaved_buffers(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    path = root / "apps/billing/models.py"
    index = build_index(root)
    buffer = "import os\n\n\nclass Invoice:\n    total = 1\n"

    def read(p: Path) -> str:
        return buffer if p == path else p.read_text(encoding="utf-8")

    args = {"uri": path.as_uri(), "names": ["Invoice"], "destination": None, "importers": None}
    changes = plan_move_command(index, args, read)
    created = changes.text_of(root / "apps/billing/invoice_models.py")
    assert created == "class Invoice:\n    total = 1\n"


def test_command_refusals_and_bad_arguments(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    index = build_index(root)
    uri = (root / "apps/billing/models.py").as_uri()
    with pytest.raises(MoveError, match="defines no `Nope`"):
        plan_move_command(index, {"uri": uri, "names": ["Nope"]}, lambda p: p.read_text())
    with pytest.raises(ValueError, match="names"):
        plan_move_command(index, {"uri": uri, "names": []}, lambda p: p.read_text())
    with pytest.raises(ValueError, match="importers"):
        plan_move_command(index, {"uri": uri, "names": ["Invoice"], "importers": "x"}, str)
