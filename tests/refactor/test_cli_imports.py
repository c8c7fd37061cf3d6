"""`carve imports`: dry-run diff vs --write, --report in text and JSON, usage errors,
refusals and their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from move_harness import CarveRunner, make_project, snapshot
from test_rewrite_imports import DIRECT_POLICY, HUB

IMPORTERS = {
    "apps/shop/views.py": "from apps.billing.models import Invoice, Payment\n",
    "apps/shop/admin.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
    "    from apps.billing.models import Invoice\n",
    "apps/shop/forms.py": "from apps.billing.payment_models import Payment\n",
}


def project(tmp_path: Path, config: str = DIRECT_POLICY) -> Path:
    return make_project(tmp_path, {**HUB, **IMPORTERS}, config)


def test_dry_run_then_write(tmp_path: Path, carve: CarveRunner) -> None:
    root = project(tmp_path)
    before = snapshot(root)
    dry = carve("imports", "--direct", "apps.billing.models", "--project", str(root))
    assert dry.code == 0, dry.err
    assert "+from apps.billing.invoice_models import Invoice\n" in dry.out
    assert "--- a/apps/shop/views.py" in dry.out and "carve: 2 importer files rewritten" in dry.err
    assert snapshot(root) == before  # a dry run writes nothing
    done = carve("imports", "--direct", "apps.billing.models", "--write", "--project", str(root))
    assert done.code == 0 and "(2 files changed)" in done.err
    assert (root / "apps/shop/views.py").read_text(encoding="utf-8") == (
        "from apps.billing.invoice_models import Invoice\n"
        "from apps.billing.payment_models import Payment\n"
    )
    again = carve("imports", "--direct", "apps.billing.models", "--project", str(root))
    assert again.code == 0 and again.out == ""
    check = carve("check", str(root), "--select", "unresolved-import,broken-reexport,import-cycle")
    assert check.code == 0, check.out


def test_via_hub_for_a_directory_in_batches(tmp_path: Path, carve: CarveRunner) -> None:
    root = project(tmp_path, "")
    args = ("imports", "--via-hub", "apps/billing/", "--project", str(root))
    first = carve(*args, "--limit", "1", "--write", cwd=root)
    assert first.code == 0, first.err
    assert "1 importer file rewritten" in first.err
    assert (root / "apps/shop/forms.py").read_text() == "from apps.billing.models import Payment\n"
    assert carve(*args).out == ""  # nothing left


def test_paths(tmp_path: Path, carve: CarveRunner) -> None:
    root = project(tmp_path)
    run = carve(
        "imports", "--direct", "--all", "--paths", "apps/shop/admin.py", "--project", str(root)
    )
    assert run.code == 0
    assert "apps/shop/admin.py" in run.out and "views.py" not in run.out


def test_report_text_and_json(tmp_path: Path, carve: CarveRunner) -> None:
    root = project(tmp_path, "")
    text = carve("imports", "--report", "apps.billing.models", "--project", str(root))
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0] == (
        "apps.billing.models (apps/billing/models.py, import-policy via-hub): "
        "3 names, 2 importer files through the hub"
    )
    assert "      apps/shop/admin.py:4 (type_checking)" in lines
    assert any(
        line.split()[:4] == ["Payment", "apps.billing.payment_models", "1", "importer,"]
        for line in lines
    )
    data = json.loads(
        carve("imports", "--report", "--all", "--format", "json", "--project", str(root)).out
    )
    (hub,) = data["hubs"]
    assert hub["hub"] == "apps.billing.models" and hub["importers"] == 2
    names = {n["name"]: n for n in hub["names"]}
    assert names["Invoice"]["importers"] == 2 and names["Invoice"]["direct"] == 0
    assert names["Payment"]["direct"] == 1  # forms.py bypasses the hub
    assert names["InvoiceLine"]["importers"] == 0
    assert {f["path"] for f in names["Invoice"]["files"]} == {
        "apps/shop/admin.py",
        "apps/shop/views.py",
    }
    only = carve(
        "imports",
        "--report",
        "--all",
        "--format",
        "json",
        "--paths",
        "apps/shop/views.py",
        "--project",
        str(root),
    )
    assert json.loads(only.out)["hubs"][0]["importers"] == 1


def test_usage_errors_and_refusals(tmp_path: Path, carve: CarveRunner) -> None:
    root = project(tmp_path)
    assert carve("imports", "--direct", "--project", str(root)).code == 2
    assert carve("imports", "--direct", "x", "--all", "--project", str(root)).code == 2
    bad = carve("imports", "--direct", "apps.nope", "--project", str(root))
    assert bad.code == 2 and "no module `apps.nope`" in bad.err
    assert carve("imports", "--direct", "--all", "--limit", "0", "--project", str(root)).code == 2
    cyclic = {
        **HUB,
        "apps/billing/payment_models.py": "from apps.shop import registry\n\n\n"
        "class Payment:\n    pass\n",
        "apps/shop/registry.py": "from apps.billing.models import Payment\n",
    }
    (tmp_path / "cyclic").mkdir()
    root = make_project(tmp_path / "cyclic", cyclic, DIRECT_POLICY)
    refused = carve("imports", "--direct", "apps.billing.models", "--project", str(root))
    assert refused.code == 1 and refused.out == ""
    assert "apps/shop/registry.py: left as it is: the rewrite would" in refused.err
