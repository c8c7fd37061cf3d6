"""Moves that need what stays: move along, extract the shared part, set-up travels
whole, statements mutating a moved name travel with it, and the refusal when no layout
is free of import cycles."""

from __future__ import annotations

from pathlib import Path

import pytest
from move_harness import (
    MoveCase,
    apply,
    build_index,
    make_project,
    plan,
    problems,
    run_python,
    snapshot,
)

from carve.core.refactor.move.planner import MoveSymbol
from carve.core.refactor.request import MoveError, MoveRequest

PACKAGE = {"shop/__init__.py": ""}
THREE_CLASSES = (
    "class Base:\n    pass\n\n\nclass Invoice(Base):\n    pass\n\n\nclass Order(Base):\n    pass\n"
)

MODELS = '''\
"""Shop models."""
import os

KEY_BUILDS = []
SECRET = os.environ.get("SHOP_KEY", "default-key")


def build_key(secret):
    KEY_BUILDS.append(secret)
    return secret[::-1]


KEY = build_key(SECRET)
REGISTRY = {}


class Model:
    def __init_subclass__(cls):
        REGISTRY[cls.__name__] = cls


class TimestampMixin:
    stamped = True


class Customer(TimestampMixin, Model):
    def key(self):
        return KEY


PRICE_DIGITS = 2


class SourcePrice(TimestampMixin, Model):
    def rounded(self, value):
        return round(value, PRICE_DIGITS)

    def key(self):
        return KEY


class PricingHistory(Model):
    price = SourcePrice
'''

SCRIPT = """
import shop.models as m
from shop.models import Customer, SourcePrice, PricingHistory, Model
print(sorted(m.REGISTRY), len(m.KEY_BUILDS), SourcePrice().key(), Customer().key())
print(SourcePrice().rounded(1.234), PricingHistory.price is SourcePrice)
"""


@pytest.mark.parametrize("importers", ["keep", "hub", "direct"])
def test_shared_bases_and_set_up_are_extracted_once(tmp_path: Path, importers: str) -> None:
    files = {
        **PACKAGE,
        "shop/models.py": MODELS,
        "shop/views.py": "from shop.models import Customer, SourcePrice, TimestampMixin\n",
    }
    case = MoveCase(
        files,
        "shop.models",
        ("SourcePrice", "PricingHistory"),
        "shop.pricing_models",
        SCRIPT,
        importers=importers,
        round_trip=False,
    )
    changes = case.verify(tmp_path)
    shared = changes.text_of(tmp_path / "shop/base_models.py") or ""
    for statement in ("SECRET = os.environ", "KEY = build_key(SECRET)", "class Model:"):
        assert shared.count(statement) == 1
    moved = changes.text_of(tmp_path / "shop/pricing_models.py") or ""
    assert "PRICE_DIGITS = 2" in moved  # only the moved code reads it: along
    assert "from .base_models import KEY, Model, TimestampMixin" in moved
    assert changes.title.endswith("(extracts KEY, KEY_BUILDS, Model and 4 more to base_models.py)")
    assert changes.notes[0].startswith("extracted to shop/base_models.py: `KEY`, ")
    out = run_python(tmp_path, SCRIPT)
    assert out.startswith("['Customer', 'PricingHistory', 'SourcePrice'] 1 ")


def test_a_statement_mutating_a_moved_name_travels_with_it(tmp_path: Path) -> None:
    html = (
        '_js_escapes = {ord("\\\\"): "\\\\u005C"}\n'
        '_js_escapes.update({ord("%c" % z): "\\\\u%04X" % z for z in range(32)})\n\n\n'
        "def escapejs(value):\n    return str(value).translate(_js_escapes)\n\n\n"
        "def escape(value):\n    return str(value).replace('<', '&lt;')\n"
    )
    files = {"utils/__init__.py": "", "utils/html.py": html, "utils/text.py": ""}
    script = "from utils.text import escapejs\nprint(repr(escapejs('a\\x01b')))\n"
    root = make_project(tmp_path, files)
    apply(root, plan(root, "utils.html", ("escapejs",), "utils.text", "direct"))
    text = (root / "utils/text.py").read_text()
    assert (
        "_js_escapes.update(" in text and "_js_escapes" not in (root / "utils/html.py").read_text()
    )
    assert run_python(root, script) == "'a\\\\u0001b'\n"


def test_package_layout_extracts_to_base_inside_the_package(tmp_path: Path) -> None:
    init = THREE_CLASSES
    root = make_project(tmp_path, {**PACKAGE, "shop/models/__init__.py": init})
    changes = plan(root, "shop.models", ("Invoice",))
    assert changes.text_of(root / "shop/models/base.py") == "class Base:\n    pass\n"
    assert (changes.text_of(root / "shop/models/invoice.py") or "").startswith(
        "from .base import Base\n"
    )
    assert "from .base import Base as Base\n" in (
        changes.text_of(root / "shop/models/__init__.py") or ""
    )


def test_shared_to_an_existing_module(tmp_path: Path) -> None:
    models = THREE_CLASSES
    files = {**PACKAGE, "shop/models.py": models, "shop/core.py": "VERSION = 1\n"}
    root = make_project(tmp_path, files)
    request = MoveRequest("shop.models", ("Invoice",), shared_to="shop.core")
    changes = MoveSymbol(build_index(root), request).plan()
    assert changes.text_of(root / "shop/core.py") == "VERSION = 1\n\n\nclass Base:\n    pass\n"
    apply(root, changes)
    assert not problems(root)
    run_python(
        root, "from shop.models import Base, Invoice, Order\nassert Invoice.__mro__[1] is Base"
    )


def test_annotation_only_needs_become_type_checking_imports_not_extractions(
    tmp_path: Path,
) -> None:
    models = (
        "from __future__ import annotations\n\n\nclass Order:\n    pass\n\n\n"
        "class Invoice:\n    def order(self) -> Order | None:\n        return None\n\n\n"
        "def latest() -> Order:\n    return Order()\n"
    )
    root = make_project(tmp_path, {**PACKAGE, "shop/models.py": models})
    changes = plan(root, "shop.models", ("Invoice",))
    assert not changes.notes
    assert "    from .models import Order\n" in (
        changes.text_of(root / "shop/invoice_models.py") or ""
    )


def test_no_cycle_free_layout_refuses_naming_both_edges(tmp_path: Path) -> None:
    models = (
        "def relationship(target):\n    return target\n\n\n"
        "class Customer:\n    prices = relationship(lambda: SourcePrice)\n\n\n"
        "class SourcePrice:\n    customer = relationship(Customer)\n\n\n"
        "class Order:\n    customer = relationship(Customer)\n"
    )
    root = make_project(tmp_path, {**PACKAGE, "shop/models.py": models})
    before = snapshot(root)
    with pytest.raises(MoveError) as caught:
        plan(root, "shop.models", ("SourcePrice",), "shop.pricing_models", "direct")
    message = str(caught.value)
    assert "no layout is free of import cycles" in message
    assert "`SourcePrice` reads `Customer` at shop/models.py:10" in message
    assert "`Customer` reads `SourcePrice` at shop/models.py:6" in message
    assert 'A string reference (`"SourcePrice"`)' in message
    assert (
        "or move `Customer` with them: carve move shop.models.SourcePrice shop.models.Customer "
        "--to shop.pricing_models --importers direct" in message
    )
    assert caught.value.line == 6
    assert snapshot(root) == before


def test_a_name_bound_inside_a_block_is_named(tmp_path: Path) -> None:
    models = (
        "import sys\n\nif sys.platform:\n    RATE = 1\nelse:\n    RATE = 2\n\n\n"
        "def price():\n    return RATE\n\n\ndef other():\n    return RATE\n"
    )
    root = make_project(tmp_path, {**PACKAGE, "shop/models.py": models})
    with pytest.raises(MoveError) as caught:
        plan(root, "shop.models", ("price",))
    assert "needs `RATE`, which is bound inside an `if`/`try` block" in str(caught.value)


def test_a_module_reading_its_own_package_init_can_move_within_it(tmp_path: Path) -> None:
    """Django's `db/models/query.py` reads `from django.db.models import Field` while
    `db/models/__init__.py` imports it: a new file in that package joins the same cycle
    in the same state (QuerySet moved to `querysets.py`)."""
    files = {
        "db/__init__.py": "",
        "db/models/__init__.py": (
            "from db.models.fields import Field\nfrom db.models.query import QuerySet\n"
        ),
        "db/models/fields.py": "class Field:\n    pass\n",
        "db/models/query.py": (
            "from db.models import Field\n\n\nclass QuerySet:\n    field = Field\n"
        ),
    }
    root = make_project(tmp_path, files)
    apply(root, plan(root, "db.models.query", ("QuerySet",), "db.models.querysets"))
    assert "from db.models import Field\n" in (root / "db/models/querysets.py").read_text()
    run_python(root, "from db.models import QuerySet, Field\nassert QuerySet.field is Field")


def test_a_tangle_closed_only_in_a_function_accepts_the_hub_read(tmp_path: Path) -> None:
    """`django.utils.text` imports `django.utils.html` only inside a function: `html`
    re-exporting `escapejs` from `text` cannot meet a half-initialised `text`."""
    files = {
        "utils/__init__.py": "",
        "utils/html.py": (
            "from utils.text import normalize\n\n\n"
            "def escapejs(value):\n    return normalize(value).replace('<', '\\\\u003C')\n"
        ),
        "utils/text.py": (
            "def normalize(value):\n    return str(value)\n\n\n"
            "def strip(value):\n    from utils.html import escapejs\n\n    return escapejs(value)\n"
        ),
    }
    root = make_project(tmp_path, files)
    apply(root, plan(root, "utils.html", ("escapejs",), "utils.text", "direct"))
    assert "from utils.text import escapejs as escapejs" in (root / "utils/html.py").read_text()
    run_python(root, "import utils.html, utils.text\nassert utils.text.strip('<') == '\\\\u003C'")


def test_names_taken_along_are_not_routed_through_a_hub_that_lacks_them(
    tmp_path: Path,
) -> None:
    """Django: `MAX_GET_RESULTS` went along with `QuerySet`; `--importers hub` pointed
    `from django.db.models.query import MAX_GET_RESULTS` at `django.db.models`, which
    does not export it (hidden behind a star import, so no check saw it)."""
    files = {
        "db/__init__.py": "",
        "db/models/__init__.py": (
            "from db.models.enums import *\nfrom db.models.query import QuerySet\n"
        ),
        "db/models/enums.py": "import enum\n\nChoices = enum.Enum\n",
        "db/models/query.py": "MAX = 21\n\n\nclass QuerySet:\n    limit = MAX\n",
        "tests/__init__.py": "",
        "tests/test_basic.py": "from db.models.query import MAX, QuerySet\n",
    }
    root = make_project(tmp_path, files)
    apply(root, plan(root, "db.models.query", ("QuerySet",), "db.models.querysets", "hub"))
    importer = (root / "tests/test_basic.py").read_text()
    assert "from db.models import QuerySet" in importer
    assert "from db.models.query import MAX\n" in importer
    run_python(root, "import tests.test_basic")


def test_a_fallback_block_keeps_what_it_reads(tmp_path: Path) -> None:
    """`except ImportError: dumps = _slow_dumps` reads `_slow_dumps` like any code: it
    is extracted, not taken along (the module failed to import without ujson)."""
    core = (
        "def _slow_dumps(obj):\n    return str(obj)\n\n\n"
        "def render(obj):\n    return _slow_dumps(obj)\n\n\n"
        "try:\n    from ujson import dumps\nexcept ImportError:\n    dumps = _slow_dumps\n"
    )
    root = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/core.py": core})
    apply(root, plan(root, "pkg.core", ("render",), "pkg.rendering"))
    assert "from .base_core import _slow_dumps\n" in (root / "pkg/core.py").read_text()
    run_python(root, "import pkg.core, pkg.rendering\nassert pkg.core.dumps('x')")
