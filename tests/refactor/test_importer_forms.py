"""Every importer form, before and after, one statement at a time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from move_harness import (
    apply,
    assert_all_parse,
    make_project,
    plan,
    problems,
    run_python,
)

BILLING = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": """
        class Customer:
            pass


        class Invoice:
            pass
    """,
}


def after(
    tmp_path: Path, importer: str, importers: str, extra: dict[str, str] | None = None
) -> str:
    files = {**BILLING, **(extra or {}), "apps/billing/user.py": importer}
    root = make_project(tmp_path, files)
    changes = plan(
        root, "apps.billing.models", ("Invoice",), "apps.billing.invoice_models", importers
    )
    apply(root, changes)
    assert_all_parse(root)
    assert not problems(root)
    return (root / "apps/billing/user.py").read_text(encoding="utf-8")


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


CASES = {
    "alias": (
        "from apps.billing.models import Invoice as Bill\n",
        "from apps.billing.invoice_models import Invoice as Bill\n",
    ),
    "split": (
        "from apps.billing.models import Customer, Invoice\n",
        "from apps.billing.invoice_models import Invoice\n"
        "from apps.billing.models import Customer\n",
    ),
    "split parenthesized": (
        "from apps.billing.models import (\n    Invoice,  # the bill\n    Customer,\n)\n",
        "from apps.billing.invoice_models import Invoice\n"
        "from apps.billing.models import (\n    Customer,\n)\n",
    ),
    "relative": (
        "from .models import Customer, Invoice as I\n",
        "from .invoice_models import Invoice as I\nfrom .models import Customer\n",
    ),
    "type checking": (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from apps.billing.models import Customer, Invoice\n",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from apps.billing.invoice_models import Invoice\n"
        "    from apps.billing.models import Customer\n",
    ),
    "function level": (
        "def f():\n    from apps.billing.models import Invoice\n    return Invoice\n",
        "def f():\n    from apps.billing.invoice_models import Invoice\n    return Invoice\n",
    ),
    "try import": (
        "try:\n    from apps.billing.models import Invoice, Customer\n"
        "except ImportError:\n    Invoice = Customer = None\n",
        "try:\n    from apps.billing.invoice_models import Invoice\n"
        "    from apps.billing.models import Customer\n"
        "except ImportError:\n    Invoice = Customer = None\n",
    ),
    "module alias": (
        "import apps.billing.models as m\n\nprint(m.Invoice, m.Customer)\n",
        "import apps.billing.invoice_models as invoice_models\nimport apps.billing.models as m\n\n"
        "print(invoice_models.Invoice, m.Customer)\n",
    ),
    "module alias, only moved uses": (
        "from apps.billing import models\n\nprint(models.Invoice)\n",
        "from apps.billing import invoice_models\n\nprint(invoice_models.Invoice)\n",
    ),
    "module alias, destination name bound in a function": (
        "from apps.billing import models\n\n\ndef f():\n    invoice_models = 1\n"
        "    return models.Invoice, invoice_models\n",
        "from apps.billing import invoice_models as invoice_models_module\n\n\n"
        "def f():\n    invoice_models = 1\n"
        "    return invoice_models_module.Invoice, invoice_models\n",
    ),
    "module alias shadowed by parameters, locals and class attributes": (
        "from apps.billing import models\n\n\n"
        "def f(models):\n    return models.Invoice\n\n\n"
        "def g():\n    for models in []:\n        pass\n    return models.Invoice\n\n\n"
        "def h():\n    def inner():\n        return models.Invoice\n\n"
        "    models = None\n    return inner\n\n\n"
        "def k():\n    global models\n    return models.Invoice\n\n\n"
        "class C:\n    models = None\n    here = models\n\n"
        "    def m(self):\n        return models.Invoice\n\n\n"
        "lam = lambda models: models.Invoice\n"
        "comp = [models.Invoice for models in []]\n"
        "print(models.Invoice)\n",
        "from apps.billing import invoice_models\n\n\n"
        "def f(models):\n    return models.Invoice\n\n\n"
        "def g():\n    for models in []:\n        pass\n    return models.Invoice\n\n\n"
        "def h():\n    def inner():\n        return models.Invoice\n\n"
        "    models = None\n    return inner\n\n\n"
        "def k():\n    global models\n    return invoice_models.Invoice\n\n\n"
        "class C:\n    models = None\n    here = models\n\n"
        "    def m(self):\n        return invoice_models.Invoice\n\n\n"
        "lam = lambda models: models.Invoice\n"
        "comp = [models.Invoice for models in []]\n"
        "print(invoice_models.Invoice)\n",
    ),
    "function-level module alias": (
        "def f():\n    from apps.billing import models\n\n"
        "    def g(models):\n        return models.Invoice\n\n"
        "    return models.Invoice, g\n",
        "def f():\n    from apps.billing import invoice_models\n\n"
        "    def g(models):\n        return models.Invoice\n\n"
        "    return invoice_models.Invoice, g\n",
    ),
    "dotted module": (
        "import apps.billing.models\n\nprint(apps.billing.models.Invoice)\n",
        "import apps.billing.invoice_models\n\nprint(apps.billing.invoice_models.Invoice)\n",
    ),
    "semicolons": (
        "import os; from apps.billing.models import Invoice, Customer; print(os)\n",
        "import os; from apps.billing.models import Customer; "
        "from apps.billing.invoice_models import Invoice; print(os)\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_direct(tmp_path: Path, name: str) -> None:
    before, expected = CASES[name]
    assert after(tmp_path, before, "direct") == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_keep_leaves_importers_alone(tmp_path: Path, name: str) -> None:
    before, _ = CASES[name]
    assert after(tmp_path, before, "keep") == before


def test_merges_into_an_existing_import_of_the_destination(tmp_path: Path) -> None:
    extra = {"apps/billing/invoice_models.py": "class InvoiceLine:\n    pass\n"}
    importer = (
        "from apps.billing.invoice_models import InvoiceLine\n"
        "from apps.billing.models import Invoice\n"
    )
    expected = "from apps.billing.invoice_models import Invoice, InvoiceLine\n"
    assert after(tmp_path, importer, "direct", extra) == expected


def test_hub_mode_routes_feature_file_importers_through_the_hub(tmp_path: Path) -> None:
    files = {
        "apps/__init__.py": "",
        "apps/billing/__init__.py": "",
        "apps/billing/models.py": "from .invoice_models import Invoice as Invoice\n",
        "apps/billing/invoice_models.py": "class Invoice:\n    pass\n",
        "apps/shop/__init__.py": "",
        "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n",
        "apps/shop/hub_user.py": "from apps.billing.models import Invoice\n",
    }
    root = make_project(tmp_path, files)
    changes = plan(
        root, "apps.billing.invoice_models", ("Invoice",), "apps.billing.bill_models", "hub"
    )
    apply(root, changes)
    assert (root / "apps/shop/views.py").read_text() == "from apps.billing.models import Invoice\n"
    assert (
        root / "apps/shop/hub_user.py"
    ).read_text() == "from apps.billing.models import Invoice\n"
    hub = (root / "apps/billing/models.py").read_text()
    assert hub == "from .bill_models import Invoice as Invoice\n"
    # nothing imports the emptied feature file any more: it is gone
    assert not (root / "apps/billing/invoice_models.py").exists()
    assert run_python(root, "import apps.shop.views, apps.shop.hub_user") == ""


def test_star_importers_keep_working(tmp_path: Path) -> None:
    files = {
        **BILLING,
        "apps/billing/user.py": "from apps.billing.models import *\n\nprint(Invoice)\n",
    }
    root = make_project(tmp_path, files)
    apply(
        root,
        plan(root, "apps.billing.models", ("Invoice",), "apps.billing.invoice_models", "direct"),
    )
    assert run_python(root, "import apps.billing.user").startswith(
        "<class 'apps.billing.invoice_models.Invoice'>"
    )
