"""`carve split`: a plan of feature files (reviewable TOML), applied as one change that
keeps every import working, the ORM's schema identical, and the definitions intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_project import CHECK_MIGRATIONS, DJANGO_DUMP, DJANGO_FILES, MAKE_MIGRATIONS
from model_harness import run_json
from model_projects import SQLA_DUMP, sqlalchemy_project
from move_harness import (
    CarveRunner,
    apply,
    build_index,
    definition_text,
    make_project,
    plan,
    problems,
    run_python,
    snapshot,
)

from carve.core.refactor.request import MoveError
from carve.core.refactor.split.plan import check_plan, load_plan, propose_split
from carve.core.refactor.split.planner import SplitModule

SQLA_SOURCE = "shared.database.models"

SHOP = '''\
"""Shop models."""
from .base import Model


class TimestampMixin:
    stamped = True


class Invoice(TimestampMixin, Model):
    lines = "InvoiceLine"


class InvoiceLine(Model):
    invoice = Invoice


class InvoiceSequence(Model):
    pass


class Address(Model):
    pass


class Customer(TimestampMixin, Model):
    address = Address


class Payment(TimestampMixin, Model):
    invoice = Invoice


def invoice_total(invoice):
    return 0
'''
SHOP_FILES = {
    "shop/__init__.py": "",
    "shop/base.py": "class Model:\n    pass\n",
    "shop/models.py": SHOP,
    "shop/views.py": "from shop.models import Customer, Invoice, Payment, invoice_total\n",
}


def _split(root: Path, source: str, importers: str | None = None) -> None:
    from carve.core.refactor.request import ImporterMode

    index = build_index(root)
    mode = ImporterMode(importers) if importers else None
    apply(root, SplitModule(index, propose_split(index, source), mode).plan())


def test_the_plan_groups_by_feature_and_shares_bases(tmp_path: Path) -> None:
    root = make_project(tmp_path, SHOP_FILES)
    split = propose_split(build_index(root), "shop.models")
    groups = {p.module: p.names for p in split.files}
    assert groups == {
        "shop.base_models": ["TimestampMixin"],
        "shop.invoice_models": ["Invoice", "InvoiceLine", "InvoiceSequence", "invoice_total"],
        "shop.customer_models": ["Address", "Customer"],
        "shop.payment_models": ["Payment"],
    }
    payment = next(p for p in split.files if p.module == "shop.payment_models")
    assert payment.needs == ["shop.base_models", "shop.invoice_models"]
    assert split.hub == []


def test_the_plan_round_trips_through_toml_and_is_checked(tmp_path: Path) -> None:
    root = make_project(tmp_path, SHOP_FILES)
    index = build_index(root)
    proposed = propose_split(index, "shop.models")
    again = check_plan(index, load_plan(proposed.to_toml(), "plan.toml"))
    assert [(p.module, p.names) for p in again.files] == [
        (p.module, p.names) for p in proposed.files
    ]
    text = proposed.to_toml()
    bad = {
        'names = ["Payment"]': ('names = ["Payment", "Nope"]', "no top-level definition `Nope`"),
        'names = ["TimestampMixin"]': (
            'names = ["TimestampMixin", "Payment"]',
            "`Payment` is planned for both",
        ),
    }
    for old, (new, message) in bad.items():
        with pytest.raises(MoveError, match=message):
            check_plan(index, load_plan(text.replace(old, new), "plan.toml"))
    hub_keeps_a_base = text.replace('names = ["TimestampMixin"]', "names = []")
    with pytest.raises(MoveError, match=r"needs `TimestampMixin`.*leaves in `shop\.models`"):
        check_plan(index, load_plan(hub_keeps_a_base, "plan.toml"))
    crossed = (
        'source = "shop.models"\nlayout = "flat"\n'
        '[[file]]\nmodule = "shop.base_models"\nshared = true\nnames = ["TimestampMixin"]\n'
        '[[file]]\nmodule = "shop.x_models"\nnames = ["InvoiceLine", "Address"]\n'
        '[[file]]\nmodule = "shop.y_models"\nnames = ["Invoice", "Customer", "Payment", '
        '"InvoiceSequence", "invoice_total"]\n'
    )
    with pytest.raises(MoveError, match=r"import each other: shop\.x_models → shop\.y_models"):
        check_plan(index, load_plan(crossed, "plan.toml"))
    with pytest.raises(MoveError, match="not valid TOML"):
        load_plan("source = ", "plan.toml")


def test_split_keeps_behaviour_and_merging_back_restores_the_code(tmp_path: Path) -> None:
    root = make_project(tmp_path, SHOP_FILES)
    script = (
        "from shop.models import Customer, Invoice, InvoiceLine, Payment\n"
        "import shop.views\n"
        "print(Customer.address.__name__, InvoiceLine.invoice is Invoice, Payment.stamped)\n"
    )
    behaviour = run_python(root, script)
    index = build_index(root)
    split = propose_split(index, "shop.models")
    apply(root, SplitModule(index, split).plan())
    assert run_python(root, script) == behaviour
    assert not problems(root)
    hub = (root / "shop/models.py").read_text()
    assert "from .customer_models import Customer as Customer\n" in hub
    assert hub.startswith('"""Shop models."""\n')  # the docstring stays
    for planned in reversed(split.files):  # merge back, last file first
        apply(root, plan(root, planned.module, tuple(planned.names), "shop.models"))
    merged = (root / "shop/models.py").read_text()
    for name in ("TimestampMixin", "Invoice", "InvoiceLine", "Customer", "invoice_total"):
        assert definition_text(merged, name) == definition_text(SHOP, name)
    assert run_python(root, script) == behaviour


@pytest.mark.parametrize("importers", ["keep", "direct"])
def test_sqlalchemy_schema_is_identical_after_the_split(tmp_path: Path, importers: str) -> None:
    root = make_project(tmp_path, sqlalchemy_project())
    before = run_json(root, SQLA_DUMP)
    index = build_index(root)
    split = propose_split(index, SQLA_SOURCE)
    shared = next(p for p in split.files if p.shared)
    assert {"Base", "TimestampMixin", "EncryptedFieldMixin", "ENCRYPTION_KEY"} <= set(shared.names)
    _split(root, SQLA_SOURCE, importers)
    assert run_json(root, SQLA_DUMP) == before  # tables, keys, indexes; key built once
    assert not problems(root)
    for path in (root / "shared/database").glob("*_models.py"):
        assert len(path.read_text().splitlines()) < 500


def test_django_registry_and_migrations_are_unchanged(tmp_path: Path) -> None:
    root = make_project(tmp_path, DJANGO_FILES)
    run_python(root, MAKE_MIGRATIONS)
    before = run_json(root, DJANGO_DUMP)
    _split(root, "apps.customers.models")
    assert run_json(root, DJANGO_DUMP) == before
    assert "No changes detected" in run_python(root, CHECK_MIGRATIONS)
    assert not problems(root)


def test_cli_plan_out_then_plan(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, SHOP_FILES)
    run = carve("split", "shop/models.py", "--plan-out", "plan.toml", cwd=root)
    assert run.code == 0 and "shop.invoice_models: " in run.err
    plan_file = root / "plan.toml"
    edited = plan_file.read_text().replace('"InvoiceSequence", ', "")
    edited = edited.replace('names = ["Payment"]', 'names = ["Payment", "InvoiceSequence"]')
    plan_file.write_text(edited)
    before = snapshot(root)
    run = carve("split", "shop.models", "--plan", "plan.toml", cwd=root)
    assert run.code == 0 and "+++ b/shop/payment_models.py" in run.out
    assert snapshot(root) == before  # a dry run
    run = carve("split", "shop.models", "--plan", "plan.toml", "--write", cwd=root)
    assert run.code == 0, run.err
    assert "class InvoiceSequence(Model):" in (root / "shop/payment_models.py").read_text()
    run = carve("split", "shop.models", "--plan", "missing.toml", cwd=root)
    assert run.code == 2 and "missing.toml" in run.err


def test_package_layout_turns_the_module_into_a_package(tmp_path: Path) -> None:
    """`models.py` → `models/__init__.py` (the hub) + `models/invoice.py`, …; relative
    imports gain a level, every old import keeps working."""
    root = make_project(tmp_path, SHOP_FILES)
    script = (
        "from shop.models import Customer, Invoice, Payment\nprint(Payment.invoice is Invoice)\n"
    )
    behaviour = run_python(root, script)
    index = build_index(root)
    split = propose_split(index, "shop.models", "package")
    assert [p.module for p in split.files] == [
        "shop.models.base",
        "shop.models.invoice",
        "shop.models.customer",
        "shop.models.payment",
    ]
    apply(root, SplitModule(index, split).plan())
    assert not (root / "shop/models.py").exists()
    hub = (root / "shop/models/__init__.py").read_text()
    assert hub.startswith('"""Shop models."""\n')
    assert "from .invoice import Invoice as Invoice\n" in hub
    assert (root / "shop/models/invoice.py").read_text().startswith("from ..base import Model\n")
    assert run_python(root, script) == behaviour
    assert not problems(root)


def test_deprecate_makes_the_hub_warn_and_still_register(tmp_path: Path) -> None:
    (tmp_path / "bare").mkdir()
    (tmp_path / "listed").mkdir()
    root = make_project(tmp_path / "bare", SHOP_FILES)
    index = build_index(root)
    with pytest.raises(MoveError, match="needs a literal `__all__`"):
        SplitModule(index, propose_split(index, "shop.models"), deprecate=True).plan()
    listed = SHOP + '\n\n__all__ = ["Customer", "Invoice", "InvoiceLine", "Payment"]\n'
    root = make_project(tmp_path / "listed", {**SHOP_FILES, "shop/models.py": listed})
    index = build_index(root)
    apply(root, SplitModule(index, propose_split(index, "shop.models"), deprecate=True).plan())
    hub = (root / "shop/models.py").read_text()
    assert "def __getattr__(name: str) -> object:" in hub
    assert '    "Invoice": "shop.invoice_models",\n' in hub
    assert "from . import invoice_models  # noqa: F401" in hub
    script = (
        "import sys, warnings\n"
        "import shop.models\n"
        "assert 'shop.invoice_models' in sys.modules  # imported with the hub\n"
        "from shop.models import *\n"
        "assert Customer and Payment  # star imports read __all__, then __getattr__\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    from shop.models import Invoice\n"
        "print(caught[0].category.__name__, caught[0].message)\n"
    )
    out = run_python(root, script)
    assert out == (
        "DeprecationWarning shop.models.Invoice moved to shop.invoice_models.Invoice; "
        "import it from there\n"
    )


def test_review_findings_on_plans(tmp_path: Path, carve: CarveRunner) -> None:
    """One statement binding two features' names stays whole; a `[file]` typo is a
    message, not a traceback; a top-level package module is found by its directory."""
    models = (
        "INVOICE_LIMIT, CUSTOMER_LIMIT = 10, 20\n\n\n"
        "class Invoice:\n    limit = INVOICE_LIMIT\n\n\n"
        "class Customer:\n    limit = CUSTOMER_LIMIT\n"
    )
    root = make_project(tmp_path, {"pkg/__init__.py": models})
    index = build_index(root)
    split = propose_split(index, "pkg")
    homes = {n: p.module for p in split.files for n in p.names}
    assert homes["INVOICE_LIMIT"] == homes["CUSTOMER_LIMIT"]
    apply(root, SplitModule(index, split).plan())
    run_python(root, "from pkg import Customer, Invoice\nassert Customer.limit == 20")
    with pytest.raises(MoveError, match=r"`\[\[file\]\]` table"):
        load_plan('source = "pkg"\n[file]\nmodule = "pkg.x"\nnames = []\n', "plan.toml")
    run = carve("split", "pkg", "--plan-out", "plan.toml", cwd=root)
    assert run.code == 0, run.err
