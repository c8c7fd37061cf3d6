"""hub-bypass (policy via-hub) and legacy-hub-import (policy direct), over every import form."""

from __future__ import annotations

from pathlib import Path

import pytest
from billing_project import BILLING as SHARED_BILLING

from conftest import check, make_project, where

BILLING = {
    **SHARED_BILLING,
    "apps/billing/payment_models.py": """
        from apps.billing.invoice_models import Invoice


        class Payment:
            invoice: Invoice
    """,
    "apps/shop/orders/__init__.py": "",
}
RULES = ("hub-bypass", "legacy-hub-import")


def project(tmp_path: Path, files: dict[str, str], config: str = "") -> Path:
    return make_project(tmp_path, {**BILLING, **files}, config)


BYPASS_FORMS = {
    "absolute": "from apps.billing.invoice_models import Invoice\n",
    "alias": "from apps.billing.invoice_models import Invoice as Bill\n",
    "explicit-reexport": "from apps.billing.invoice_models import Invoice as Invoice\n",
    "relative-level-2": "from ..billing.invoice_models import Invoice\n",
    "multi-line": "from apps.billing.invoice_models import (\n    total,\n    Invoice,\n)\n",
    "type-checking": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from apps.billing.invoice_models import Invoice\n"
    ),
    "try-except": (
        "try:\n    from apps.billing.invoice_models import Invoice\n"
        "except ImportError:\n    Invoice = None\n"
    ),
    "lazy": "def get():\n    from apps.billing.invoice_models import Invoice\n    return Invoice\n",
}
EXPECTED_LINE = {"multi-line": 3, "type-checking": 3, "try-except": 2, "lazy": 2}


@pytest.mark.parametrize("form", sorted(BYPASS_FORMS))
def test_bypass_from_outside_the_hub_package(tmp_path: Path, form: str) -> None:
    root = project(tmp_path, {"apps/shop/views.py": BYPASS_FORMS[form]})
    findings = check(root, RULES)
    line = EXPECTED_LINE.get(form, 1)
    assert where(findings, root) == [("hub-bypass", "apps/shop/views.py", line)]
    assert findings[0].message == (
        "`Invoice` is re-exported by `apps.billing.models`; import it from there"
    )
    assert findings[0].data["hub"] == "apps.billing.models"


def test_bypass_relative_level_3_from_a_subpackage(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"apps/shop/orders/views.py": "from ...billing.invoice_models import Invoice\n"}
    )
    assert where(check(root, RULES), root) == [("hub-bypass", "apps/shop/orders/views.py", 1)]


def test_bypass_span_points_at_the_name(tmp_path: Path) -> None:
    root = project(tmp_path, {"apps/shop/views.py": BYPASS_FORMS["multi-line"]})
    (finding,) = check(root, RULES)
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (3, 4, 11)


THROUGH_HUB_FORMS = {
    "from-hub": "from apps.billing.models import Invoice\n",
    "from-hub-alias": "from apps.billing.models import Invoice as Bill\n",
    "relative-hub": "from ..billing.models import Invoice\n",
    "module-import": "import apps.billing.invoice_models\n",
    "module-import-as": "import apps.billing.invoice_models as im\n",
    "from-package-import-module": "from apps.billing import invoice_models\n",
    "not-reexported": "from apps.billing.invoice_models import total\n",
    "star": "from apps.billing.models import *\n",
}


@pytest.mark.parametrize("form", sorted(THROUGH_HUB_FORMS))
def test_no_bypass_through_the_hub_or_for_other_names(tmp_path: Path, form: str) -> None:
    root = project(tmp_path, {"apps/shop/views.py": THROUGH_HUB_FORMS[form]})
    assert check(root, RULES) == []


INSIDE_FORMS = {
    "relative-level-1": "from .invoice_models import Invoice\n",
    "absolute": "from apps.billing.invoice_models import Invoice\n",
    "from-dot-import-module": "from . import invoice_models\n",
}


@pytest.mark.parametrize("form", sorted(INSIDE_FORMS))
def test_inside_the_hub_package_imports_go_direct(tmp_path: Path, form: str) -> None:
    root = project(tmp_path, {"apps/billing/views.py": INSIDE_FORMS[form]})
    assert check(root, RULES) == []


def test_inside_a_subpackage_of_the_hub_package_is_not_flagged(tmp_path: Path) -> None:
    files = {
        "apps/billing/api/__init__.py": "",
        "apps/billing/api/views.py": "from ..invoice_models import Invoice\n",
    }
    assert check(project(tmp_path, files), RULES) == []


def test_a_module_that_uses_its_imports_is_not_a_hub(tmp_path: Path) -> None:
    """views.py imports models to use them: importing from views is not a bypass."""
    files = {
        "apps/billing/views.py": """
            from .invoice_models import Invoice


            def show(invoice: Invoice) -> str:
                return str(invoice)
        """,
        "apps/shop/views.py": "from apps.billing.invoice_models import total\n",
        "apps/shop/forms.py": "from apps.billing.views import show\n",
    }
    assert check(project(tmp_path, files), RULES) == []


def test_package_init_is_a_hub_too(tmp_path: Path) -> None:
    files = {
        "apps/billing/__init__.py": "from .invoice_models import Invoice as Invoice\n",
        "apps/billing/models.py": "",
        "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n",
    }
    (finding,) = check(project(tmp_path, files), RULES)
    assert finding.message == "`Invoice` is re-exported by `apps.billing`; import it from there"


def test_nearest_hub_is_named_when_two_hubs_reexport(tmp_path: Path) -> None:
    files = {
        "apps/billing/__init__.py": "from .models import Invoice as Invoice\n",
        "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n",
    }
    (finding,) = check(project(tmp_path, files), RULES)
    assert "re-exported by `apps.billing.models`" in finding.message


# -- policy direct: legacy-hub-import ------------------------------------------------------


DIRECT = 'import-policy = "direct"'
PER_PACKAGE = '[tool.carve.packages."apps.billing"]\nimport-policy = "direct"'


@pytest.mark.parametrize("config", [DIRECT, PER_PACKAGE])
def test_legacy_hub_import_names_the_defining_module(tmp_path: Path, config: str) -> None:
    files = {"apps/shop/views.py": "from apps.billing.models import Invoice, Payment as P\n"}
    root = project(tmp_path, files, config)
    findings = check(root, RULES)
    assert where(findings, root) == [
        ("legacy-hub-import", "apps/shop/views.py", 1),
        ("legacy-hub-import", "apps/shop/views.py", 1),
    ]
    assert "`Invoice` is defined in `apps.billing.invoice_models`" in findings[0].message
    assert "`apps.billing.models` is a legacy hub" in findings[0].message
    assert "`Payment` is defined in `apps.billing.payment_models`" in findings[1].message


LEGACY_FORMS = {
    "relative": ("apps/shop/views.py", "from ..billing.models import Invoice\n", 1),
    "type-checking": (
        "apps/shop/views.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from apps.billing.models import Invoice\n",
        3,
    ),
    "lazy": ("apps/shop/views.py", "def f():\n    from apps.billing.models import Invoice\n", 2),
    "inside-package": (
        "apps/billing/views.py",
        "from .models import Invoice\n\n\ndef show(invoice: Invoice) -> None: ...\n",
        1,
    ),
}


@pytest.mark.parametrize("form", sorted(LEGACY_FORMS))
def test_legacy_hub_import_forms(tmp_path: Path, form: str) -> None:
    path, text, line = LEGACY_FORMS[form]
    root = project(tmp_path, {path: text}, DIRECT)
    assert where(check(root, RULES), root) == [("legacy-hub-import", path, line)]


def test_direct_policy_does_not_flag_direct_imports(tmp_path: Path) -> None:
    files = {"apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n"}
    assert check(project(tmp_path, files, DIRECT), RULES) == []


def test_direct_policy_for_another_package_keeps_via_hub(tmp_path: Path) -> None:
    config = '[tool.carve.packages."apps.shop"]\nimport-policy = "direct"'
    files = {
        "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n",
        "apps/shop/forms.py": "from apps.billing.models import Invoice\n",
    }
    root = project(tmp_path, files, config)
    assert where(check(root, RULES), root) == [("hub-bypass", "apps/shop/views.py", 1)]


def test_hub_chaining_through_a_legacy_hub_is_not_flagged(tmp_path: Path) -> None:
    files = {"apps/billing/__init__.py": "from .models import Invoice as Invoice\n"}
    assert check(project(tmp_path, files, DIRECT), RULES) == []


def test_per_package_policy_overrides_global(tmp_path: Path) -> None:
    config = DIRECT + '\n[tool.carve.packages."apps.billing"]\nimport-policy = "via-hub"'
    files = {
        "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n",
        "apps/shop/forms.py": "from apps.billing.models import Invoice\n",
    }
    root = project(tmp_path, files, config)
    assert where(check(root, RULES), root) == [("hub-bypass", "apps/shop/views.py", 1)]


LEGACY_NEGATIVE = {
    "star": "from apps.billing.models import *\n",
    "module-import": "import apps.billing.models\n",
    "module-import-as": "import apps.billing.models as billing\n",
    "from-package-import-hub-module": "from apps.billing import models\n",
    "defined-in-hub": "from apps.billing.models import helper\n",
}


@pytest.mark.parametrize("form", sorted(LEGACY_NEGATIVE))
def test_direct_policy_leaves_other_forms_alone(tmp_path: Path, form: str) -> None:
    hub = BILLING["apps/billing/models.py"] + "\n\ndef helper() -> None: ...\n"
    files = {"apps/billing/models.py": hub, "apps/shop/views.py": LEGACY_NEGATIVE[form]}
    assert check(project(tmp_path, files, DIRECT), RULES) == []


def test_bypass_of_a_star_import_hub(tmp_path: Path) -> None:
    files = {
        "apps/billing/models/__init__.py": "from .invoice import *\nfrom .payment import *\n",
        "apps/billing/models/invoice.py": "class Invoice: ...\nclass _Private: ...\n",
        "apps/billing/models/payment.py": "class Payment: ...\n__all__ = []\n",
        "apps/billing/models.py": None,
        "apps/shop/views.py": """
            from apps.billing.models.invoice import Invoice, _Private
            from apps.billing.models.payment import Payment
        """,
    }
    root = make_project(tmp_path, {k: v for k, v in {**BILLING, **files}.items() if v})
    findings = check(root, RULES)
    assert where(findings, root) == [("hub-bypass", "apps/shop/views.py", 1)]
    assert findings[0].message == (
        "`Invoice` is re-exported by `apps.billing.models`; import it from there"
    )
