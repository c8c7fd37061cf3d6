"""Quick fixes that move imported names: hub-bypass, legacy-hub-import, unresolved-import."""

from __future__ import annotations

from pathlib import Path

from billing_project import BILLING
from fix_helpers import context, fix, only, read, write

from carve.core.fixes import plan_fix, quick_fixes

from conftest import make_project


def test_hub_bypass_rewrites_the_import(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {**BILLING, "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n"},
    )
    after = fix(root, "hub-bypass", "hub")
    assert read(root, "apps/shop/views.py") == "from apps.billing.models import Invoice\n"
    assert [f.rule for f in after] == []


def test_hub_bypass_merges_into_existing_hub_import_keeping_aliases(tmp_path: Path) -> None:
    views = """
        import os
        from apps.billing.models import Payment
        from apps.billing.invoice_models import Invoice as Inv, total  # billing

        print(os, Payment, Inv, total)
    """
    root = make_project(tmp_path, {**BILLING, "apps/shop/views.py": views})
    fix(root, "hub-bypass", "hub")
    assert read(root, "apps/shop/views.py") == (
        "import os\n"
        "from apps.billing.models import Invoice as Inv, Payment\n"
        "from apps.billing.invoice_models import total  # billing\n"
        "\n"
        "print(os, Payment, Inv, total)\n"
    )


def test_hub_bypass_in_a_parenthesized_import_keeps_comments(tmp_path: Path) -> None:
    views = """
        from apps.billing.invoice_models import (
            Invoice,  # the invoice
            total,  # a helper
        )
    """
    root = make_project(tmp_path, {**BILLING, "apps/shop/views.py": views})
    fix(root, "hub-bypass", "hub")
    assert read(root, "apps/shop/views.py") == (
        "from apps.billing.invoice_models import (\n"
        "    total,  # a helper\n"
        ")\n"
        "from apps.billing.models import Invoice\n"
    )


def test_hub_bypass_relative_import_stays_relative(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/shop/views.py": "from ..billing.invoice_models import Invoice\n",
    }
    root = make_project(tmp_path, files)
    fix(root, "hub-bypass", "hub")
    assert read(root, "apps/shop/views.py") == "from ..billing.models import Invoice\n"


def test_hub_bypass_inside_type_checking_block(tmp_path: Path) -> None:
    views = """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from apps.billing.invoice_models import Invoice
    """
    root = make_project(tmp_path, {**BILLING, "apps/shop/views.py": views})
    fix(root, "hub-bypass", "hub")
    assert read(root, "apps/shop/views.py").endswith(
        "if TYPE_CHECKING:\n    from apps.billing.models import Invoice\n"
    )


def test_legacy_hub_import_goes_to_the_defining_module(tmp_path: Path) -> None:
    files = {**BILLING, "apps/shop/views.py": "from apps.billing.models import Invoice, Payment\n"}
    root = make_project(tmp_path, files, 'import-policy = "direct"')
    findings, ctx = context(root)
    first = next(f for f in findings if f.rule == "legacy-hub-import")
    assert [q.key for q in quick_fixes(first, ctx)] == ["direct", "suppress"]
    write(plan_fix(first, "direct", ctx))
    assert read(root, "apps/shop/views.py") == (
        "from apps.billing.models import Payment\nfrom apps.billing.invoice_models import Invoice\n"
    )
    assert [f.rule for f in context(root)[0]] == ["legacy-hub-import"]


def test_unresolved_import_offers_one_fix_per_home(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/shop/helpers.py": "def total(x):\n    return x\n",
        "apps/shop/views.py": "from apps.billing.models import total\n",
    }
    root = make_project(tmp_path, files)
    findings, ctx = context(root)
    finding = only(findings, "unresolved-import")
    keys = [q.key for q in quick_fixes(finding, ctx)]
    assert keys == [
        "source:apps.shop.helpers",
        "source:apps.billing.invoice_models",
        "suppress",
    ]
    after = fix(root, "unresolved-import", "source:apps.billing.invoice_models")
    assert read(root, "apps/shop/views.py") == "from apps.billing.invoice_models import total\n"
    assert after == []


def test_unresolved_import_prefers_the_hub_under_via_hub(tmp_path: Path) -> None:
    files = {**BILLING, "apps/shop/views.py": "from apps.billing.payments import Invoice\n"}
    root = make_project(tmp_path, files)
    findings, ctx = context(root)
    finding = only(findings, "unresolved-import")
    assert quick_fixes(finding, ctx)[0].key == "source:apps.billing.models"
    fix(root, "unresolved-import", "source:apps.billing.models")
    assert read(root, "apps/shop/views.py") == "from apps.billing.models import Invoice\n"


def test_a_merged_away_import_keeps_its_trailing_comment(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/shop/views.py": """
            from apps.billing.models import Payment
            from apps.billing.invoice_models import Invoice  # noqa: E402 -- keep me

            print(Invoice, Payment)
        """,
    }
    root = make_project(tmp_path, files)
    fix(root, "hub-bypass", "hub")
    assert read(root, "apps/shop/views.py") == (
        "from apps.billing.models import Invoice, Payment\n"
        "# noqa: E402 -- keep me\n"
        "\n"
        "print(Invoice, Payment)\n"
    )
