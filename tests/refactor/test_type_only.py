"""Names that stay in the source and that the moved code reads only in annotations Python
does not evaluate: imported under `if TYPE_CHECKING:` in the destination (no import
cycle at runtime) instead of a refusal. Runtime uses still refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_projects import importing_all
from move_harness import MoveCase, apply, build_index, make_project, plan, run_python

from carve.core.refactor.move.planner import MoveSymbol
from carve.core.refactor.request import MoveError, MoveRequest

BASE = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/base.py": "class Model:\n    pass\n",
    "apps/billing/models.py": """
        from .invoice_models import CreditNote as CreditNote
        from .invoice_models import Invoice as Invoice
    """,
}

FUTURE_SOURCE = '''
    """Invoices."""

    from __future__ import annotations

    from decimal import Decimal

    from .base import Model


    class Invoice(Model):
        number: str = "I-1"

        def total(self) -> Decimal:
            return Decimal(0)


    class CreditNote(Model):
        invoice: Invoice | None = None

        def against(self, invoice: Invoice) -> CreditNote:
            self.invoice = invoice
            return self
'''

SCRIPT = (
    importing_all("apps")
    + """
    from apps.billing.models import CreditNote, Invoice
    note = CreditNote().against(Invoice())
    print(type(note).__name__, note.invoice.number, note.invoice.total())
"""
)


def with_source(source: str, **extra: str) -> dict[str, str]:
    return {**BASE, "apps/billing/invoice_models.py": source, **extra}


def read(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("importers", ["keep", "direct"])
def test_future_annotations_become_a_type_checking_import(tmp_path: Path, importers: str) -> None:
    case = MoveCase(
        with_source(FUTURE_SOURCE),
        "apps.billing.invoice_models",
        ("CreditNote",),
        "apps.billing.credit_note_models",
        SCRIPT,
        importers,
    )
    changes = case.verify(tmp_path)  # runs before and after, moves back, plans again
    created = next(c for c in changes.changes if c.is_creation)
    assert created.new_text == (
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING\n\n"
        "from .base import Model\n\n"
        "if TYPE_CHECKING:\n"
        "    from .invoice_models import Invoice\n\n\n"
        "class CreditNote(Model):\n"
        "    invoice: Invoice | None = None\n\n"
        "    def against(self, invoice: Invoice) -> CreditNote:\n"
        "        self.invoice = invoice\n"
        "        return self\n"
    )
    source = next(c for c in changes.changes if c.path.name == "invoice_models.py")
    assert (
        "from .base import Model\nfrom .credit_note_models import CreditNote as CreditNote\n"
        in (source.new_text)
    )
    assert any("under `if TYPE_CHECKING:`" in w for w in changes.warnings)


def test_string_and_local_annotations_need_no_future_import(tmp_path: Path) -> None:
    source = """
        from .base import Model


        class Invoice(Model):
            number = "I-1"


        class CreditNote(Model):
            invoice: "Invoice | None" = None

            def latest(self) -> "list[Invoice]":
                found: Invoice | None = self.invoice
                return [found] if found else []
    """
    script = (
        importing_all("apps")
        + """
        from apps.billing.models import CreditNote
        print(CreditNote().latest())
    """
    )
    case = MoveCase(
        with_source(source),
        "apps.billing.invoice_models",
        ("CreditNote",),
        "apps.billing.credit_note_models",
        script,
    )
    changes = case.verify(tmp_path)
    created = next(c for c in changes.changes if c.is_creation)
    assert created.new_text.startswith(
        "from typing import TYPE_CHECKING\n\n"
        "from .base import Model\n\n"
        "if TYPE_CHECKING:\n"
        "    from .invoice_models import Invoice\n\n\n"
        "class CreditNote(Model):\n"
    )


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("    invoice: Invoice | None = None\n", 8),  # class body: evaluated
        ("    def against(self, invoice: Invoice) -> None:\n        pass\n", 8),  # parameter
        ("    def check(self, x: object) -> bool:\n        return isinstance(x, Invoice)\n", 8),
    ],
    ids=["class variable", "parameter", "runtime use"],
)
def test_evaluated_uses_are_runtime_needs(tmp_path: Path, body: str, line: int) -> None:
    """An evaluated annotation needs the class at runtime: no `TYPE_CHECKING` import;
    `Invoice`, needed by nothing that stays, moves along (extracted when code staying
    needs it too, refused with `--no-extract`)."""
    source = (
        "from .base import Model\n\n\nclass Invoice(Model):\n    pass\n\n\n"
        f"class CreditNote(Model):\n{body}"
    )
    root = make_project(tmp_path, {**BASE, "apps/billing/invoice_models.py": source})
    changes = plan(root, "apps.billing.invoice_models", ("CreditNote",))
    moved = changes.text_of(root / "apps/billing/credit_note_models.py") or ""
    assert "TYPE_CHECKING" not in moved and "\nclass Invoice(Model):" in moved
    assert changes.notes and "`Invoice`" in changes.notes[0]

    (tmp_path / "staying").mkdir()
    staying = source + "\n\ndef latest() -> Invoice:\n    return Invoice()\n"
    root = make_project(tmp_path / "staying", {**BASE, "apps/billing/invoice_models.py": staying})
    request = MoveRequest("apps.billing.invoice_models", ("CreditNote",), extract=False)
    with pytest.raises(MoveError) as caught:
        MoveSymbol(build_index(root), request).plan()
    assert "the moved code needs `Invoice`, which code staying" in str(caught.value)


def test_only_runtime_names_are_taken_along(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n\nRATE = 2\n\n\nclass Invoice:\n    pass\n\n\n"
        "def credit(invoice: Invoice) -> int:\n    return RATE\n"
    )
    root = make_project(tmp_path, {**BASE, "apps/billing/invoice_models.py": source})
    changes = plan(root, "apps.billing.invoice_models", ("credit",))
    assert changes.text_of(root / "apps/billing/credit_models.py") == (
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "    from .invoice_models import Invoice\n\n"
        "RATE = 2\n\n\n"
        "def credit(invoice: Invoice) -> int:\n    return RATE\n"
    )


def test_pep_649_projects_defer_every_annotation(tmp_path: Path) -> None:
    source = (
        "class Invoice:\n    pass\n\n\n"
        "def credit(invoice: Invoice) -> Invoice:\n    return invoice\n"
    )
    pyproject = '[project]\nname = "x"\nrequires-python = ">=3.14"\n\n[tool.carve]\n'
    files = {**BASE, "apps/billing/invoice_models.py": source, "pyproject.toml": pyproject}
    root = make_project(tmp_path, files)
    changes = plan(root, "apps.billing.invoice_models", ("credit",))
    assert changes.text_of(root / "apps/billing/credit_models.py") == (
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "    from .invoice_models import Invoice\n\n\n"
        "def credit(invoice: Invoice) -> Invoice:\n    return invoice\n"
    )


def test_joins_the_type_checking_block_the_code_already_needs(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from apps.shop.orders import Order\n\n\n"
        "class Invoice:\n    pass\n\n\n"
        "def credit(invoice: Invoice, order: Order) -> None:\n    pass\n"
    )
    extra = {"apps/shop/__init__.py": "", "apps/shop/orders.py": "class Order:\n    pass\n"}
    root = make_project(tmp_path, with_source(source, **extra))
    changes = plan(root, "apps.billing.invoice_models", ("credit",))
    assert changes.text_of(root / "apps/billing/credit_models.py") == (
        "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from apps.shop.orders import Order\n\n"
        "    from .invoice_models import Invoice\n\n\n"
        "def credit(invoice: Invoice, order: Order) -> None:\n    pass\n"
    )


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        (
            "from .base import Model\n\n\nclass Debit(Model):\n    pass\n",
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
            "from .base import Model\n\nif TYPE_CHECKING:\n"
            "    from .invoice_models import Invoice\n\n\nclass Debit(Model):\n    pass\n",
        ),
        (
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
            "from .base import Model\n\nif TYPE_CHECKING:\n"
            "    from .payment_models import Payment\n\n\n"
            "class Debit(Model):\n    payment: Payment | None = None\n",
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
            "from .base import Model\n\nif TYPE_CHECKING:\n"
            "    from .invoice_models import Invoice\n    from .payment_models import Payment\n"
            "\n\nclass Debit(Model):\n    payment: Payment | None = None\n",
        ),
    ],
    ids=["new block", "existing block"],
)
def test_existing_destination(tmp_path: Path, destination: str, expected: str) -> None:
    extra = {
        "apps/billing/debit_models.py": destination,
        "apps/billing/payment_models.py": "class Payment:\n    pass\n",
    }
    root = make_project(tmp_path, with_source(FUTURE_SOURCE, **extra))
    changes = plan(
        root, "apps.billing.invoice_models", ("CreditNote",), "apps.billing.debit_models"
    )
    apply(root, changes)
    result = read(root, "apps/billing/debit_models.py")
    assert result.startswith(expected)
    assert result.endswith(
        "class CreditNote(Model):\n    invoice: Invoice | None = None\n\n"
        "    def against(self, invoice: Invoice) -> CreditNote:\n"
        "        self.invoice = invoice\n        return self\n"
    )
    assert run_python(root, SCRIPT) == "CreditNote I-1 0\n"
    assert run_python(root, "import apps.billing.debit_models as d; print(d.CreditNote)") == (
        "<class 'apps.billing.debit_models.CreditNote'>\n"
    )
