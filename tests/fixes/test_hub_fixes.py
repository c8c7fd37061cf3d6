"""Quick fixes that edit hubs: broken-reexport, missing-reexport, dunder-all-mismatch."""

from __future__ import annotations

from pathlib import Path

from billing_project import BILLING
from fix_helpers import context, fix, only, read

from carve.core.fixes import quick_fixes

from conftest import make_project


def test_broken_reexport_points_at_the_new_home(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/billing/models.py": """
            from .invoice_models import Invoice as Invoice
            from .invoice_models import Refund as Refund
            from .payment_models import Payment as Payment

            __all__ = ["Invoice", "Payment", "Refund"]
        """,
        "apps/billing/refund_models.py": "class Refund:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    findings, ctx = context(root)
    finding = only(findings, "broken-reexport")
    fixes = quick_fixes(finding, ctx)
    assert [(q.key, q.preferred) for q in fixes] == [
        ("source:apps.billing.refund_models", True),
        ("remove", False),
        ("suppress", False),
    ]
    after = fix(root, "broken-reexport", "source:apps.billing.refund_models")
    assert "from .refund_models import Refund as Refund\n" in read(root, "apps/billing/models.py")
    assert "from .invoice_models import Refund" not in read(root, "apps/billing/models.py")
    assert after == []


def test_broken_reexport_without_a_home_is_removed_with_its_all_entry(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/billing/models.py": """
            from .invoice_models import Invoice as Invoice, Refund as Refund
            from .payment_models import Payment as Payment

            __all__ = [
                "Invoice",
                "Payment",
                "Refund",
            ]
        """,
    }
    root = make_project(tmp_path, files)
    after = fix(root, "broken-reexport", "remove")
    assert read(root, "apps/billing/models.py") == (
        "from .invoice_models import Invoice as Invoice\n"
        "from .payment_models import Payment as Payment\n"
        "\n"
        "__all__ = [\n"
        '    "Invoice",\n'
        '    "Payment",\n'
        "]\n"
    )
    assert after == []


def test_missing_reexport_adds_explicit_form_and_all_entry(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/billing/refund_models.py": "class Refund:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    after = fix(root, "missing-reexport", "reexport")
    assert read(root, "apps/billing/models.py") == (
        "from .invoice_models import Invoice as Invoice\n"
        "from .payment_models import Payment as Payment\n"
        "from .refund_models import Refund as Refund\n"
        "\n"
        '__all__ = ["Invoice", "Payment", "Refund"]\n'
    )
    assert after == []


def test_missing_reexport_merges_into_existing_import_of_the_feature_file(
    tmp_path: Path,
) -> None:
    files = {
        **BILLING,
        "apps/billing/payment_models.py": "class Payment:\n    pass\n\n\nclass Card:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    fix(root, "missing-reexport", "reexport")
    text = read(root, "apps/billing/models.py")
    assert "from .payment_models import Card as Card, Payment as Payment\n" in text
    assert '__all__ = ["Card", "Invoice", "Payment"]' in text


def test_dunder_all_missing_and_stale(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/billing/models.py": """
            from .invoice_models import Invoice as Invoice
            from .payment_models import Payment as Payment

            __all__ = ("Invoice", 'Gone')
        """,
    }
    root = make_project(tmp_path, files)
    findings, _ = context(root)
    kinds = sorted(str(f.data["kind"]) for f in findings if f.rule == "dunder-all-mismatch")
    assert kinds == ["missing", "stale"]
    from fix_helpers import fix_all

    changes, after = fix_all(root)
    assert read(root, "apps/billing/models.py").endswith('__all__ = ("Invoice", "Payment")\n')
    assert after == []
    assert changes.warnings == []
