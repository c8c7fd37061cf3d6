"""`carve check --fix` / `--diff`, and fixes in the JSON report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import CarveRunner, make_project
from test_check_cli import EXAMPLE, HUB_PROJECT


def test_json_report_carries_the_fix_as_text_edits(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    [finding] = json.loads(carve("check", str(root), "--format", "json").out)["findings"]
    assert finding["fix"] == {
        "title": "Import `Invoice` from the hub `apps.billing.models`",
        "edits": [
            {
                "path": "apps/orders/views.py",
                "line": 1,
                "column": 19,
                "end_line": 1,
                "end_column": 27,
                "new_text": "",  # minimal: `invoice_models` → `models` deletes `invoice_`
            }
        ],
    }


def test_fix_applies_every_unambiguous_fix(tmp_path: Path, carve: CarveRunner) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLE, shop)
    before = {p: p.read_bytes() for p in shop.rglob("*.py")}
    diff = carve("check", str(shop), "--fix", "--diff")
    assert diff.code == 1 and "+from .refund_models import Refund as Refund" in diff.out
    assert {p: p.read_bytes() for p in shop.rglob("*.py")} == before  # --diff writes nothing

    run = carve("check", str(shop), "--fix", "--format", "json")
    assert "fixed 3 files" in run.err
    left = {f["rule"] for f in json.loads(run.out)["findings"]}
    for fixed in ("hub-bypass", "legacy-hub-import", "broken-reexport", "dunder-all-mismatch",
                  "missing-reexport", "unused-suppression"):  # fmt: skip
        assert fixed not in left
    assert "unresolved-import" in left  # no module defines Coupon: nothing to point it at
    hub = (shop / "apps" / "billing" / "models.py").read_text()
    assert hub.count("Refund as Refund") == 1  # one fix, not one per finding about it
    assert "from .refund_models import Refund as Refund" in hub
    views = (shop / "apps" / "orders" / "views.py").read_text()
    assert "from apps.legacy.customer_models import Customer" in views
    assert carve("check", str(shop), "--fix").code == 1  # idempotent: nothing more to fix
    assert "fixed 0 files" in carve("check", str(shop), "--fix").err


def test_diff_needs_fix(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    run = carve("check", str(root), "--diff")
    assert run.code == 2 and "--diff goes with --fix" in run.err
