"""missing-reexport and hub-self-import."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check, make_project, where

FLAT = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": """
        from .invoice_models import Invoice as Invoice
        from .payment_models import Payment as Payment

        __all__ = ["Invoice", "Payment"]
    """,
    "apps/billing/invoice_models.py": "class Invoice:\n    pass\n",
    "apps/billing/payment_models.py": "class Payment:\n    pass\n",
}


def project(tmp_path: Path, files: dict[str, str], config: str = "") -> Path:
    return make_project(tmp_path, {**FLAT, **files}, config)


# -- missing-reexport ---------------------------------------------------------------------


def test_public_class_beside_a_component_hub_must_be_reexported(tmp_path: Path) -> None:
    files = {
        "apps/billing/refund_models.py": """
            from django.db import models


            class Refund(models.Model):
                pass


            class _Draft:
                pass


            def helper():
                pass
        """,
    }
    root = project(tmp_path, files)
    findings = check(root, ["missing-reexport"])
    assert where(findings, root) == [("missing-reexport", "apps/billing/refund_models.py", 4)]
    assert findings[0].message == "`Refund` is not re-exported by its hub `apps.billing.models`"
    assert (findings[0].span.column, findings[0].span.end_column) == (6, 12)


def test_missing_reexport_in_a_package_hub(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/models/__init__.py": "from .cart import *\nfrom .order import Order\n",
        "shop/models/cart.py": "class Cart: ...\nclass Hidden: ...\n__all__ = ['Cart']\n",
        "shop/models/order.py": "class Order: ...\nclass Line: ...\n",
    }
    root = make_project(tmp_path, files)
    findings = check(root, ["missing-reexport"])
    # cart.py's own `__all__` says `Hidden` is not public.
    assert where(findings, root) == [("missing-reexport", "shop/models/order.py", 2)]
    assert findings[0].data["name"] == "Line"


@pytest.mark.parametrize(
    "hub",
    [
        "from .invoice_models import *\nfrom .payment_models import Payment\n",
        "from . import invoice_models\nfrom .invoice_models import Invoice\n"
        "from .payment_models import Payment as Payment\n",
        "from .invoice_models import Invoice as Invoice\n"
        "from .payment_models import Payment as Payment\n",
    ],
)
def test_every_public_class_reexported(tmp_path: Path, hub: str) -> None:
    root = project(tmp_path, {"apps/billing/models.py": hub})
    assert check(root, ["missing-reexport"]) == []


def test_only_convention_named_feature_files_beside_a_component_hub(tmp_path: Path) -> None:
    files = {
        # Re-exported from, but not a feature file by name: its other classes are its own.
        "apps/billing/enums.py": "class Status: ...\nclass Currency: ...\n",
        "apps/billing/models.py": FLAT["apps/billing/models.py"]
        + "from .enums import Status as Status\n",
        # A feature file of another component.
        "apps/billing/invoice_views.py": "class InvoiceView: ...\n",
        # A hub that is not named after a component: no naming convention to apply.
        "apps/billing/api_v2.py": "from .invoice_models import Invoice as Invoice\n",
        "apps/billing/invoice_api_v2.py": "class Other: ...\n",
    }
    assert check(project(tmp_path, files), ["missing-reexport"]) == []


# -- hub-self-import -------------------------------------------------------------------------


SELF_IMPORTS = {
    "relative": "from .models import Invoice\n",
    "absolute": "from apps.billing.models import Invoice\n",
    "module": "import apps.billing.models\n",
    "module-alias": "import apps.billing.models as hub\n",
    "from-package": "from . import models\n",
    "try-except": "try:\n    from .models import Invoice\nexcept ImportError:\n    pass\n",
}


@pytest.mark.parametrize("form", sorted(SELF_IMPORTS))
def test_feature_file_importing_its_own_hub(tmp_path: Path, form: str) -> None:
    text = SELF_IMPORTS[form] + "\n\nclass Payment:\n    pass\n"
    root = project(tmp_path, {"apps/billing/payment_models.py": text})
    findings = check(root, ["hub-self-import"])
    line = 2 if form == "try-except" else 1
    assert where(findings, root) == [("hub-self-import", "apps/billing/payment_models.py", line)]
    assert findings[0].message.startswith(
        "`apps.billing.payment_models` imports its own hub `apps.billing.models` at module level"
    )


NOT_SELF_IMPORTS = {
    "type-checking": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .models import Invoice\n"
    ),
    "lazy": "def f():\n    from .models import Invoice\n    return Invoice\n",
    "direct": "from .invoice_models import Invoice\nprint(Invoice)\n",
    "other-package-hub": "from apps.shop.models import Cart\nprint(Cart)\n",
}


@pytest.mark.parametrize("form", sorted(NOT_SELF_IMPORTS))
def test_feature_file_without_a_module_level_hub_import(tmp_path: Path, form: str) -> None:
    files = {
        "apps/billing/payment_models.py": NOT_SELF_IMPORTS[form] + "\nclass Payment: ...\n",
        "apps/shop/__init__.py": "",
        "apps/shop/models.py": "from .cart_models import Cart as Cart\n",
        "apps/shop/cart_models.py": "class Cart: ...\n",
    }
    assert check(project(tmp_path, files), ["hub-self-import"]) == []


def test_package_hub_submodule_imports_are_not_self_imports(tmp_path: Path) -> None:
    """`from . import order` inside `models/cart.py` imports a sibling, not the hub."""
    files = {
        "shop/__init__.py": "",
        "shop/models/__init__.py": "from .cart import Cart as Cart\nfrom .order import Order\n",
        "shop/models/cart.py": "from . import order\n\n\nclass Cart:\n    o: order.Order\n",
        "shop/models/order.py": "from shop.models import Cart\n\n\nclass Order:\n    c: Cart\n",
    }
    root = make_project(tmp_path, files)
    assert where(check(root, ["hub-self-import"]), root) == [
        ("hub-self-import", "shop/models/order.py", 1)
    ]


def test_unused_import_of_the_hub_does_not_make_the_feature_file_a_hub(tmp_path: Path) -> None:
    text = "from apps.billing.models import Invoice\n\n\nclass Payment:\n    pass\n"
    root = project(tmp_path, {"apps/billing/payment_models.py": text})
    findings = check(root, ["hub-self-import"])
    assert [f.message.split(" at ")[0] for f in findings] == [
        "`apps.billing.payment_models` imports its own hub `apps.billing.models`"
    ]
