"""`--importers direct` and the import policy: under `via-hub` (the default) the
importers outside the hub's package get the direct imports they asked for, and the
result says that `carve check` reports them as `hub-bypass` and how to agree with the
policy; the default mode routes them through the hub; under `direct` nothing is
reported."""

from __future__ import annotations

from pathlib import Path

from move_harness import apply, build_index, make_project, plan

from carve.core.check import CheckOptions, run_checks
from carve.core.config import load_config

FILES = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": "class Customer:\n    pass\n\n\nclass Invoice:\n    pass\n",
    "apps/billing/views.py": "from apps.billing.models import Invoice\n\nprint(Invoice)\n",
    "apps/shop/__init__.py": "",
    "apps/shop/views.py": "from apps.billing.models import Invoice\n\nprint(Invoice)\n",
    "apps/shop/tasks.py": "from apps.billing import models\n\nprint(models.Invoice)\n",
}


def move(
    tmp_path: Path, config: str = "", importers: str | None = "direct"
) -> tuple[Path, list[str]]:
    root = make_project(tmp_path, FILES, config)
    changes = plan(
        root, "apps.billing.models", ("Invoice",), "apps.billing.invoice_models", importers
    )
    apply(root, changes)
    return root, changes.warnings


def rules(root: Path) -> list[str]:
    config = load_config(root)
    findings = run_checks(build_index(root), config, CheckOptions()).findings
    return sorted(f"{f.rule} {f.path.name}" for f in findings)


def test_direct_under_via_hub_says_which_importers_bypass_the_hub(tmp_path: Path) -> None:
    root, warnings = move(tmp_path)
    for importer in ("apps/billing/views.py", "apps/shop/views.py"):
        text = (root / importer).read_text()
        assert text.startswith("from apps.billing.invoice_models import Invoice\n")
    assert "invoice_models.Invoice" in (root / "apps/shop/tasks.py").read_text()
    bypass = [r for r in rules(root) if r.startswith("hub-bypass")]
    assert bypass == ["hub-bypass views.py"]  # a module object (`models.Invoice`) is none
    [warning] = [w for w in warnings if "hub-bypass" in w]
    assert warning.startswith("1 importer outside `apps.billing` now imports `Invoice`")
    assert "--importers hub" in warning and 'import-policy = "direct"' in warning


def test_the_default_under_via_hub_goes_through_the_hub(tmp_path: Path) -> None:
    root, warnings = move(tmp_path, importers=None)
    assert (root / "apps/shop/views.py").read_text() == FILES["apps/shop/views.py"]
    assert not [r for r in rules(root) if r.startswith("hub-bypass")]
    assert not [w for w in warnings if "hub-bypass" in w]


def test_direct_under_direct_policy_rewrites_every_importer(tmp_path: Path) -> None:
    root, warnings = move(tmp_path, 'import-policy = "direct"')
    shop = (root / "apps/shop/views.py").read_text()
    assert shop.startswith("from apps.billing.invoice_models import Invoice\n")
    assert "invoice_models.Invoice" in (root / "apps/shop/tasks.py").read_text()
    assert not [r for r in rules(root) if r.startswith(("hub-bypass", "legacy-hub-import"))]
    assert not [w for w in warnings if "hub-bypass" in w]


def test_a_module_that_aggregates_nothing_gets_no_warning(tmp_path: Path) -> None:
    """`django.utils.timezone` re-exporting `now` from `clock` is no hub (neither a
    package nor a component module): nothing is a `hub-bypass`, nothing to say."""
    files = {
        "apps/__init__.py": "",
        "apps/billing/__init__.py": "",
        "apps/billing/pricing.py": "def tax():\n    return 1\n\n\ndef net():\n    return 2\n",
        "apps/shop/__init__.py": "",
        "apps/shop/views.py": "from apps.billing.pricing import tax\n\nprint(tax)\n",
    }
    root = make_project(tmp_path, files)
    changes = plan(root, "apps.billing.pricing", ("tax",), "apps.billing.taxes", "direct")
    apply(root, changes)
    shop = (root / "apps/shop/views.py").read_text()
    assert shop.startswith("from apps.billing.taxes import tax\n")
    assert not [r for r in rules(root) if r.startswith("hub-bypass")]
    assert not [w for w in changes.warnings if "hub-bypass" in w]
