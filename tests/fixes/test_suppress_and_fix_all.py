"""Suppression comments and fix-all."""

from __future__ import annotations

from pathlib import Path

from billing_project import BILLING
from fix_helpers import context, fix_all, read

from carve.core.fixes import suppression_edit
from carve.core.fixes.text import apply_replacements

from conftest import make_project


def suppress(text: str, line: int, rule: str = "hub-bypass") -> str:
    edit = suppression_edit(text, line, rule, "because")
    assert edit is not None
    return apply_replacements(text, [edit.replacement])


def test_suppress_appends_a_comment_with_a_reason() -> None:
    text = "import a\nfrom b import c   \n"
    assert suppress(text, 2) == "import a\nfrom b import c  # carve: ignore[hub-bypass] because\n"
    edit = suppression_edit(text, 2, "hub-bypass")
    assert edit is not None and edit.reason_start is not None
    placeholder = edit.replacement.text[edit.reason_start :]
    assert placeholder == edit.reason == "TODO: say why"


def test_suppress_extends_an_existing_comment() -> None:
    text = "from b import c  # carve: ignore[import-cycle] legacy\n"
    assert suppress(text, 1) == (
        "from b import c  # carve: ignore[import-cycle, hub-bypass] legacy\n"
    )
    assert suppression_edit(suppress(text, 1), 1, "hub-bypass") is None


def test_suppress_on_a_docstring_line_goes_above_it() -> None:
    text = '"""A long\nmodule."""\nx = 1\n'
    assert suppress(text, 1, "file-too-long") == (
        '# carve: ignore[file-too-long] because\n"""A long\nmodule."""\nx = 1\n'
    )


def test_suppressed_finding_disappears(tmp_path: Path) -> None:
    views = "from apps.billing.invoice_models import Invoice\n"
    root = make_project(tmp_path, {**BILLING, "apps/shop/views.py": views})
    findings, _ = context(root)
    (finding,) = findings
    path = root / "apps/shop/views.py"
    path.write_text(suppress(views, finding.span.line), encoding="utf-8")
    assert context(root)[0] == []


def test_unused_suppression_is_removed(tmp_path: Path) -> None:
    views = "import os  # carve: ignore[hub-bypass] old\n\nprint(os)\n"
    root = make_project(tmp_path, {**BILLING, "apps/shop/views.py": views})
    _, after = fix_all(root)
    assert read(root, "apps/shop/views.py") == "import os\n\nprint(os)\n"
    assert after == []


def test_fix_all_batches_every_safe_fix(tmp_path: Path) -> None:
    views = """
        from apps.billing.invoice_models import Invoice
        from apps.billing.payment_models import Payment

        print(Invoice, Payment)
    """
    files = {
        **BILLING,
        "apps/shop/views.py": views,
        "apps/billing/refund_models.py": "class Refund:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    changes, after = fix_all(root)
    assert changes.warnings == []
    assert read(root, "apps/shop/views.py") == (
        "from apps.billing.models import Invoice, Payment\n\nprint(Invoice, Payment)\n"
    )
    assert "from .refund_models import Refund as Refund" in read(root, "apps/billing/models.py")
    assert after == []


def test_fix_all_for_one_file_leaves_other_files_alone(tmp_path: Path) -> None:
    views = "from apps.billing.invoice_models import Invoice\n"
    files = {
        **BILLING,
        "apps/shop/views.py": views,
        "apps/billing/refund_models.py": "class Refund:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    changes, after = fix_all(root, root / "apps/shop/views.py")
    assert [c.path.name for c in changes.changes] == ["views.py"]
    assert [f.rule for f in after] == ["missing-reexport"]


def test_fix_all_is_idempotent(tmp_path: Path) -> None:
    views = "from apps.billing.invoice_models import Invoice\n"
    root = make_project(tmp_path, {**BILLING, "apps/shop/views.py": views})
    fix_all(root)
    changes, _ = fix_all(root)
    assert changes.is_empty()
