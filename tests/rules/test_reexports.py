"""broken-reexport, unresolved-import and dunder-all-mismatch over every import form."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check, make_project, where

BASE = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/deep/__init__.py": "",
    "shop/models.py": """
        from .cart_models import Cart as Cart
        from .order_models import Order as Order

        __all__ = ["Cart", "Order"]
    """,
    "shop/cart_models.py": "class Cart:\n    pass\n",
    "shop/order_models.py": "class Order:\n    pass\n\n\nclass Refund:\n    pass\n",
}
RESOLVE = ("broken-reexport", "unresolved-import")


def project(tmp_path: Path, files: dict[str, str], config: str = "") -> Path:
    return make_project(tmp_path, {**BASE, **files}, config)


# -- broken-reexport --------------------------------------------------------------------


def test_broken_reexport_of_a_moved_name_points_at_its_new_home(tmp_path: Path) -> None:
    files = {
        "shop/models.py": """
            from .cart_models import Cart as Cart
            from .cart_models import Order as Order
        """,
    }
    root = project(tmp_path, files)
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("broken-reexport", "shop/models.py", 2)]
    assert findings[0].message == (
        "hub re-exports `Order` from `shop.cart_models`, but `shop.cart_models` does not "
        "define `Order`; it is now defined in `shop.order_models`"
    )
    assert (findings[0].span.column, findings[0].span.end_column) == (25, 39)


@pytest.mark.parametrize(
    "line",
    [
        "from .gone_models import Gone as Gone",
        "from shop.gone_models import Gone as Gone",
        "from .gone_models import Gone\n__all__ = ['Gone']",
        "from .gone_models import Gone  # unused: an implicit re-export of a models.py hub",
    ],
)
def test_broken_reexport_from_a_module_that_does_not_exist(tmp_path: Path, line: str) -> None:
    root = project(tmp_path, {"shop/models.py": line + "\n"})
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("broken-reexport", "shop/models.py", 1)]
    assert "`shop.gone_models` does not exist" in findings[0].message


def test_explicit_reexport_form_makes_any_module_a_hub(tmp_path: Path) -> None:
    root = project(tmp_path, {"shop/views.py": "from shop.models import Refund as Refund\n"})
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("broken-reexport", "shop/views.py", 1)]
    assert "`shop.models` does not define `Refund`" in findings[0].message


def test_broken_reexport_in_a_package_init_and_submodule_message(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "from . import nothing as nothing\nfrom . import models as models\n"
    }
    root = project(tmp_path, files)
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("broken-reexport", "shop/__init__.py", 1)]
    assert "has no submodule `shop.nothing`" in findings[0].message


def test_broken_reexport_through_a_sub_hub_chain(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "from .models import Cart as Cart, Refund as Refund\n",
    }
    root = project(tmp_path, files)
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("broken-reexport", "shop/__init__.py", 1)]
    assert "`shop.models` does not define `Refund`" in findings[0].message


def test_no_broken_reexport_when_everything_resolves(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "from .models import Cart as Cart\nfrom . import models as models\n",
    }
    assert check(project(tmp_path, files), RESOLVE) == []


def test_external_and_guarded_reexports_are_not_checked(tmp_path: Path) -> None:
    files = {
        "shop/models.py": """
            from django.db.models import Model as Model
            from .cart_models import Cart as Cart

            try:
                from .fast_models import Fast as Fast
            except ImportError:
                Fast = None
        """,
    }
    assert check(project(tmp_path, files), RESOLVE) == []


# -- unresolved-import ---------------------------------------------------------------------


UNRESOLVED = {
    "absolute": ("shop/views.py", "from shop.models import Refund\n", 1),
    "relative-1": ("shop/views.py", "from .models import Refund\n", 1),
    "relative-2": ("shop/orders/views.py", "from ..models import Refund\n", 1),
    "relative-3": ("shop/orders/deep/views.py", "from ...models import Refund\n", 1),
    "alias": ("shop/views.py", "from shop.models import Refund as R\n", 1),
    "type-checking": (
        "shop/views.py",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from shop.models import Refund\n",
        4,
    ),
    "lazy": (
        "shop/views.py",
        "def f():\n    from shop.models import Refund\n    return Refund\n",
        2,
    ),
}


@pytest.mark.parametrize("form", sorted(UNRESOLVED))
def test_unresolved_import_forms(tmp_path: Path, form: str) -> None:
    path, text, line = UNRESOLVED[form]
    root = project(tmp_path, {path: text})
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("unresolved-import", path, line)]
    assert findings[0].message == (
        "cannot import `Refund` from `shop.models`: `shop.models` does not define `Refund`; "
        "it is defined in `shop.order_models`"
    )


@pytest.mark.parametrize(
    "text",
    [
        "import shop.nothing\n",
        "import shop.nothing as n\n",
        "from shop import nothing\n",
        "from . import nothing\n",
        "from shop.nothing import X\n",
        "from shop.nothing import *\n",
    ],
)
def test_unresolved_missing_modules(tmp_path: Path, text: str) -> None:
    root = project(tmp_path, {"shop/views.py": text})
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("unresolved-import", "shop/views.py", 1)]
    assert "shop.nothing" in findings[0].message


RESOLVED = {
    "through-hub": "from shop.models import Cart, Order as O\n",
    "direct": "from shop.order_models import Refund\n",
    "module": "import shop.models\nimport shop.order_models as om\n",
    "from-package-module": "from shop import models\nfrom . import cart_models\n",
    "star": "from shop.models import *\n",
    "external": "import os\nfrom django.db import models\nfrom os.path import nothing_here\n",
    "try-except": (
        "try:\n    from shop.models import Refund\nexcept ImportError:\n    Refund = None\n"
    ),
    "with-suppress": (
        "from contextlib import suppress\n\nwith suppress(ImportError):\n"
        "    from shop.models import Refund\n"
    ),
    "module-attribute": "from shop.models import __name__, __doc__\n",
    "future": "from __future__ import annotations\n",
}


@pytest.mark.parametrize("form", sorted(RESOLVED))
def test_resolving_imports_are_not_flagged(tmp_path: Path, form: str) -> None:
    root = project(tmp_path, {"shop/views.py": RESOLVED[form]})
    assert check(root, RESOLVE) == []


def test_resolution_through_a_star_hub(tmp_path: Path) -> None:
    files = {
        "shop/models.py": "from .cart_models import *\nfrom .order_models import *\n",
        "shop/order_models.py": "class Order: ...\nclass _Private: ...\n__all__ = ['Order']\n",
        "shop/views.py": "from shop.models import Cart, Order, _Private\n",
    }
    root = project(tmp_path, files)
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("unresolved-import", "shop/views.py", 1)]
    assert "`_Private`" in findings[0].message


def test_module_getattr_makes_every_name_importable(tmp_path: Path) -> None:
    files = {
        "shop/lazy.py": "def __getattr__(name: str) -> object:\n    return name\n",
        "shop/views.py": "from shop.lazy import Anything, Else\n",
        "shop/models.py": "from .lazy import Whatever as Whatever\n",
    }
    assert check(project(tmp_path, files), RESOLVE) == []


def test_a_module_that_does_not_parse_is_unknown_not_missing(tmp_path: Path) -> None:
    files = {
        "shop/broken.py": "def f(:\n",
        "shop/views.py": "from shop.broken import f\n",
    }
    root = project(tmp_path, files)
    findings = check(root, [*RESOLVE, "parse-error"])
    assert where(findings, root) == [("parse-error", "shop/broken.py", 1)]


# -- dunder-all-mismatch -----------------------------------------------------------------


def test_dunder_all_lists_a_name_neither_defined_nor_imported(tmp_path: Path) -> None:
    files = {"shop/models.py": BASE["shop/models.py"].replace('"Order"]', '"Order", "Ghost"]')}
    root = project(tmp_path, files)
    findings = check(root, ["dunder-all-mismatch"])
    assert where(findings, root) == [("dunder-all-mismatch", "shop/models.py", 4)]
    assert findings[0].message == (
        "`__all__` lists `Ghost`, which is neither defined nor imported here"
    )


def test_dunder_all_name_imported_only_under_type_checking(tmp_path: Path) -> None:
    files = {
        "shop/views.py": """
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from shop.models import Cart

            __all__ = ["Cart", "TYPE_CHECKING"]
        """,
    }
    root = project(tmp_path, files)
    (finding,) = check(root, ["dunder-all-mismatch"])
    assert (finding.span.line, finding.message) == (
        6,
        "`__all__` lists `Cart`, which is imported only under TYPE_CHECKING",
    )


def test_hub_reexport_missing_from_dunder_all(tmp_path: Path) -> None:
    files = {
        "shop/models.py": """
            from typing import Any
            from .cart_models import Cart
            from .order_models import Order as Order, Refund

            __all__ = ["Cart"]
        """,
    }
    root = project(tmp_path, files)
    findings = check(root, ["dunder-all-mismatch"])
    assert where(findings, root) == [
        ("dunder-all-mismatch", "shop/models.py", 3),
        ("dunder-all-mismatch", "shop/models.py", 3),
    ]
    assert [f.data["name"] for f in findings] == ["Order", "Refund"]
    assert findings[0].message == (
        "`Order` is re-exported from `shop.order_models` but missing from `__all__`"
    )


DUNDER_ALL_OK = {
    "list-and-tuple": '__all__ = ["Cart"]\n__all__ += ("Order", "Refund")\n',
    "extend-append": '__all__ = ["Cart"]\n__all__.extend(["Order"])\n__all__.append("Refund")\n',
    "concat": '__all__ = ["Cart"] + ["Order"]\n__all__ = __all__ + ["Refund"]\n',
    "other-all": "from . import order_models\n__all__ = ['Cart'] + order_models.__all__\n",
    "dynamic": "__all__ = [n for n in dir() if not n.startswith('_')] + ['Ghost']\n",
    "annotated": '__all__: list[str] = ["Cart", "Order", "Refund"]\n',
}


@pytest.mark.parametrize("form", sorted(DUNDER_ALL_OK))
def test_dunder_all_forms_in_sync(tmp_path: Path, form: str) -> None:
    files = {
        "shop/models.py": "from .cart_models import Cart\n"
        "from .order_models import Order, Refund\n" + DUNDER_ALL_OK[form],
        "shop/order_models.py": (
            "class Order: ...\nclass Refund: ...\n__all__ = ['Order', 'Refund']\n"
        ),
    }
    root = project(tmp_path, files)
    assert check(root, ["dunder-all-mismatch"]) == []


def test_dunder_all_may_list_submodules_of_a_package(tmp_path: Path) -> None:
    files = {"shop/__init__.py": '__all__ = ["models", "cart_models"]\n'}
    assert check(project(tmp_path, files), ["dunder-all-mismatch"]) == []


def test_dunder_all_of_a_module_cannot_list_sibling_modules(tmp_path: Path) -> None:
    files = {"shop/views.py": '__all__ = ["cart_models"]\n'}
    root = project(tmp_path, files)
    assert where(check(root, ["dunder-all-mismatch"]), root) == [
        ("dunder-all-mismatch", "shop/views.py", 1)
    ]


def test_dunder_all_in_a_non_hub_only_checks_stale_names(tmp_path: Path) -> None:
    files = {
        "shop/views.py": """
            from shop.models import Cart


            def show(cart: Cart) -> None: ...


            __all__ = ["show"]
        """,
    }
    assert check(project(tmp_path, files), ["dunder-all-mismatch"]) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("shop/views.py", "from ... import models\n"),
        ("shop/orders/deep/views.py", "from ..... import x\n"),
        ("top.py", "from . import shop\n"),
    ],
)
def test_relative_import_beyond_the_top_level_package(tmp_path: Path, path: str, text: str) -> None:
    root = project(tmp_path, {path: text})
    findings = check(root, RESOLVE)
    assert where(findings, root) == [("unresolved-import", path, 1)]
    assert "goes beyond the top-level package" in findings[0].message


def test_relative_import_up_to_the_top_level_package_is_fine(tmp_path: Path) -> None:
    root = project(tmp_path, {"shop/orders/deep/views.py": "from ... import models\n"})
    assert check(root, RESOLVE) == []
