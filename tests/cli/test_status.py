"""`carve status`: the migration table, computed."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CarveRunner, make_project

PROJECT = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": """
        from .invoice_models import Invoice as Invoice
        from .payment_models import Payment as Payment
    """,
    "apps/billing/invoice_models.py": "class Invoice:\n    pass\n",
    "apps/billing/payment_models.py": "class Payment:\n    pass\n" + "\n" * 40,
    "apps/orders/__init__.py": "",
    "apps/orders/views.py": """
        from apps.billing.models import Invoice
        from apps.billing.models import Payment
        from apps.billing.payment_models import Payment as P2

        print(Invoice, Payment, P2)
    """,
}


def test_status_json(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, PROJECT)
    run = carve("status", str(root), "--format", "json")
    assert run.code == 0
    [billing, orders] = json.loads(run.out)["packages"]
    assert billing["package"] == "apps.billing"
    assert billing["hubs"] == ["apps.billing.models"]
    assert billing["feature_files"] == [
        "apps.billing.invoice_models",
        "apps.billing.payment_models",
    ]
    assert (billing["largest_file"], billing["largest_lines"]) == (
        "apps.billing.payment_models",
        42,
    )
    assert (billing["outside_imports"], billing["via_hub"]) == (3, 2)
    assert orders["findings"] == {"hub-bypass": 1}


def test_status_text_table(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, PROJECT)
    lines = carve("status", str(root)).out.splitlines()
    assert lines[0].split()[:2] == ["package", "hubs"]
    billing = next(line for line in lines if line.startswith("apps.billing"))
    assert "67% of 3" in billing and "payment_models" in billing
