"""The hub model on real-code patterns: a hub owns the modules inside its package; a
re-export from another package is a convenience, never that name's hub."""

from __future__ import annotations

from pathlib import Path

from conftest import check, make_project, where

CORE_TYPES = {
    "apps/__init__.py": "",
    "apps/common/__init__.py": "",
    "apps/common/types.py": "class Result:\n    pass\n",
    "apps/billing/__init__.py": "",
}


def test_a_services_module_listing_a_core_type_is_not_its_hub(tmp_path: Path) -> None:
    files = {
        **CORE_TYPES,
        "apps/billing/services.py": """
            from apps.common.types import Result

            __all__ = ["Result", "charge"]


            def charge() -> None:
                pass
        """,
        "apps/shipping/__init__.py": "",
        "apps/shipping/views.py": "from apps.common.types import Result\n",
    }
    root = make_project(tmp_path, files)
    assert check(root, ["hub-bypass"]) == []


def test_a_package_reexporting_another_packages_exception_is_not_its_hub(
    tmp_path: Path,
) -> None:
    """`django.forms` re-exports `django.core.exceptions.ValidationError`; routing
    `django.core.validators` through `django.forms` closed a circular import."""
    files = {
        "web/__init__.py": "",
        "web/core/__init__.py": "",
        "web/core/exceptions.py": "class ValidationError(Exception):\n    pass\n",
        "web/core/validators.py": "from web.core.exceptions import ValidationError\n",
        "web/forms/__init__.py": """
            from web.core.exceptions import ValidationError
            from web.forms.fields import *
            from web.forms.fields import Field as Field

            __all__ = ["ValidationError", "Field"]
        """,
        "web/forms/fields.py": "from web.core import validators\n\n\nclass Field:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    assert check(root, ["hub-bypass"]) == []


def test_a_test_app_reexporting_a_library_model_is_not_its_hub(tmp_path: Path) -> None:
    files = {
        "lib/__init__.py": "",
        "lib/contenttypes/__init__.py": "",
        "lib/contenttypes/models.py": "class ContentType:\n    pass\n",
        "lib/admin.py": "from lib.contenttypes.models import ContentType\n",
        "tests/__init__.py": "",
        "tests/serializers/__init__.py": "",
        "tests/serializers/models/__init__.py": """
            from lib.contenttypes.models import ContentType
            from .base import Article

            __all__ = ["Article", "ContentType"]
        """,
        "tests/serializers/models/base.py": "class Article:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    assert check(root, ["hub-bypass"]) == []


def test_the_nearest_owning_hub_is_the_hub(tmp_path: Path) -> None:
    """The outer package re-exports straight from the feature file, the inner hub through
    its own chain: the inner package's hub still wins (innermost package first)."""
    files = {
        "shop/__init__.py": "from shop.orders.invoice_models import Invoice as Invoice\n",
        "shop/orders/__init__.py": "from .registry import Invoice as Invoice\n",
        "shop/orders/registry.py": "from .invoice_models import Invoice as Invoice\n",
        "shop/orders/invoice_models.py": "class Invoice:\n    pass\n",
        "reports/__init__.py": "",
        "reports/monthly.py": "from shop.orders.invoice_models import Invoice\n",
    }
    root = make_project(tmp_path, files)
    findings = [f for f in check(root, ["hub-bypass"]) if f.path.name == "monthly.py"]
    assert [f.data["hub"] for f in findings] == ["shop.orders"]


def test_an_import_error_fallback_is_not_a_reexport(tmp_path: Path) -> None:
    """`from _pytest import __version__` was told to import from `_pytest` itself."""
    files = {
        "_core/__init__.py": """
            try:
                from ._version import version as __version__
            except ImportError:
                __version__ = "unknown"
        """,
        "_core/_version.py": 'version = "1.0"\n',
        "front/__init__.py": "from _core import __version__\n\n__all__ = ['__version__']\n",
    }
    root = make_project(tmp_path, files)
    assert check(root, ["hub-bypass", "broken-reexport", "dunder-all-mismatch"]) == []


def test_fallback_import_in_a_hub_does_not_make_it_a_hub(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/compat.py": """
            try:
                from pkg._speedups import escape
            except ImportError:
                from pkg._native import escape
        """,
        "pkg/_speedups.py": "def escape(s):\n    return s\n",
        "pkg/_native.py": "def escape(s):\n    return s\n",
        "pkg/web.py": "from pkg._native import escape\n",
    }
    root = make_project(tmp_path, files)
    assert check(root, ["hub-bypass"]) == []


ADMIN_APP = {
    "site/__init__.py": "",
    "site/admin/__init__.py": """
        from site.admin.options import ModelAdmin, StackedInline
        from site.admin.sites import AdminSite

        __all__ = ["ModelAdmin", "StackedInline", "AdminSite"]
    """,
    "site/admin/options.py": """
        class BaseModelAdmin: ...
        class ModelAdmin(BaseModelAdmin): ...
        class InlineModelAdmin(BaseModelAdmin): ...
        class StackedInline(InlineModelAdmin): ...
        class TabularInline(InlineModelAdmin): ...
        class IncorrectLookupParameters(Exception): ...
    """,
    "site/admin/sites.py": "class AdminSite: ...\nclass AlreadyRegistered(Exception): ...\n",
    "site/admin/helpers.py": "class AdminForm: ...\nclass Fieldset: ...\nclass Fieldline: ...\n",
    "site/admin/widgets.py": "class FilteredSelectMultiple: ...\nclass AdminDateWidget: ...\n",
}


def test_an_app_named_like_a_component_is_not_a_component_hub(tmp_path: Path) -> None:
    """`django.contrib.admin` exports a few of its package's classes: 54 false
    missing-reexport findings when it was taken for an `admin` component hub."""
    root = make_project(tmp_path, ADMIN_APP)
    assert check(root, ["missing-reexport"]) == []


def test_a_component_hub_by_content_still_reports_its_missing_model(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/models/__init__.py": """
            from .cart import Cart, CartLine
            from .order import Order, OrderLine
        """,
        "shop/models/cart.py": "class Cart: ...\nclass CartLine: ...\n",
        "shop/models/order.py": "class Order: ...\nclass OrderLine: ...\nclass Refund: ...\n",
    }
    root = make_project(tmp_path, files)
    findings = check(root, ["missing-reexport"])
    assert where(findings, root) == [("missing-reexport", "shop/models/order.py", 3)]


def test_best_cut_never_asks_a_hub_to_hide_its_reexports(tmp_path: Path) -> None:
    """pkg/__init__ re-exports from pkg.core; pkg.core imports pkg (for a helper the
    package defines). Cutting the hub's re-export would break `from pkg import Engine`."""
    files = {
        "pkg/__init__.py": """
            from pkg.core import Engine as Engine

            __all__ = ["Engine", "VERSION"]
            VERSION = "1"
        """,
        "pkg/core.py": "from pkg import VERSION\n\n\nclass Engine:\n    version = VERSION\n",
    }
    root = make_project(tmp_path, files)
    (finding,) = check(root, ["import-cycle"])
    assert finding.data["cut"] == ["pkg.core", "pkg"]
    assert where([finding], root) == [("import-cycle", "pkg/core.py", 1)]


def test_policy_direct_ignores_convenience_reexports(tmp_path: Path) -> None:
    files = {
        "web/__init__.py": "",
        "web/core/__init__.py": "",
        "web/core/exceptions.py": "class ValidationError(Exception):\n    pass\n",
        "web/forms/__init__.py": """
            from web.core.exceptions import ValidationError
            from web.forms.fields import Field as Field

            __all__ = ["ValidationError", "Field"]
        """,
        "web/forms/fields.py": "class Field:\n    pass\n",
        "app.py": "from web.forms import Field, ValidationError\n",
    }
    root = make_project(tmp_path, files, 'import-policy = "direct"')
    findings = check(root, ["legacy-hub-import"])
    assert [(f.data["name"], f.data["target"]) for f in findings] == [("Field", "web.forms.fields")]
