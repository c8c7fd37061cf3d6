"""Imports a move writes follow isort: the right section with its blank lines, statements
in order, the hub convention (`from .x import A as A`, one per line), the project's line
length and isort settings. Checked by ruff itself: a file that passed `ruff check
--select I,F401` before a move still passes it after."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from fixture_projects import DJANGO, HUB_CHAIN, SQLALCHEMY, SRC_LAYOUT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from move_harness import apply, make_project, plan
from test_type_only import FUTURE_SOURCE, with_source

from carve.core.refactor.request import MoveError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")

SECTIONS = {
    "shop/__init__.py": "",
    "shop/base.py": "class Base:\n    pass\n\n\ndef helper() -> int:\n    return 1\n",
    "shop/util.py": "def slug(text: str) -> str:\n    return text.lower()\n",
    "shop/models.py": '''
        """Shop models."""

        import json
        import os
        from decimal import Decimal

        import attr
        import requests

        from shop.base import Base, helper

        from .util import slug


        class Product(Base):
            def dump(self) -> str:
                return json.dumps([slug("A"), helper(), attr.__name__])


        class Order(Base):
            def path(self) -> str:
                return os.sep + str(Decimal(1)) + requests.__name__
    ''',
    "shop/views.py": """
        import json

        import requests

        from shop.models import Order, Product
        from shop.util import slug


        def view() -> str:
            return json.dumps([Order().path(), Product().dump(), slug("x"), requests.__name__])
    """,
    "shop/legacy.py": """
        from shop import models
        from shop.models import Order as Order  # kept for old callers


        def legacy() -> object:
            return models.Product
    """,
}

MOVES = {
    "django hub": (DJANGO, "apps.billing.models", ("Invoice",), None, "hub"),
    "django direct": (DJANGO, "apps.billing.models", ("Invoice",), None, "direct"),
    "sqlalchemy": (SQLALCHEMY, "app.db.models", ("Address", "make_address"), None, "direct"),
    "src layout": (SRC_LAYOUT, "shop.catalog.services", ("price_of",), None, "direct"),
    "into pricing": (
        SRC_LAYOUT,
        "shop.catalog.services",
        ("price_of",),
        "shop.catalog.pricing",
        "direct",
    ),
    "hub chain": (HUB_CHAIN, "pkg.catalog.models", ("Product",), None, "direct"),
    "sections": (SECTIONS, "shop.models", ("Product",), None, "direct"),
    "into util": (SECTIONS, "shop.models", ("Order",), "shop.util", "direct"),
    "type only": (
        with_source(FUTURE_SOURCE),
        "apps.billing.invoice_models",
        ("CreditNote",),
        None,
        "direct",
    ),
}

EXAMPLE_MOVES = {
    "credit note": ("apps.billing.invoice_models", ("CreditNote",), None, "keep"),
    "shipments": ("apps.orders.models", ("Shipment", "ShipmentItem"), None, None),
    "order direct": ("apps.orders.models", ("Order", "OrderLine"), None, "direct"),
    "into an existing module": (
        "apps.billing.invoice_models",
        ("Invoice",),
        "apps.billing.refund_models",
        "direct",
    ),
    "out of a feature file": (
        "apps.billing.refund_models",
        ("Refund",),
        "apps.billing.payment_models",
        "direct",
    ),
}


def violations(root: Path) -> Counter[tuple[str, str, str]]:
    """ruff's isort and unused-import findings, without their positions (an unused
    import counts by the name it binds, whichever module it now comes from)."""
    assert RUFF is not None
    run = subprocess.run(
        [RUFF, "check", "--isolated", "--select", "I,F401", "--output-format", "json", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    found = json.loads(run.stdout)
    return Counter(
        (
            Path(f["filename"]).relative_to(root).as_posix(),
            f["code"] or "",
            re.sub(r"`(?:[\w.]*\.)?(\w+)`", r"\1", f["message"]),
        )
        for f in found
    )


def assert_no_new_violations(
    root: Path, source: str, names: tuple[str, ...], destination: str | None, importers: str | None
) -> None:
    before = violations(root)
    changes = plan(root, source, names, destination, importers)
    apply(root, changes)
    new = violations(root) - before
    assert not new, "\n".join(f"{v}" for v in new) + "\n" + changes.unified_diff(root)


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
@pytest.mark.parametrize("name", sorted(MOVES))
def test_ruff_finds_nothing_new(tmp_path: Path, name: str) -> None:
    files, source, names, destination, importers = MOVES[name]
    root = make_project(tmp_path, files)
    assert_no_new_violations(root, source, names, destination, importers)


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
@pytest.mark.parametrize("name", sorted(EXAMPLE_MOVES))
def test_ruff_finds_nothing_new_in_the_example(tmp_path: Path, name: str) -> None:
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".carve_cache", "__pycache__"))
    assert_no_new_violations(root, *EXAMPLE_MOVES[name])


def moved(
    tmp_path: Path,
    files: dict[str, str],
    names: tuple[str, ...],
    importers: str = "keep",
    config: str = "",
    destination: str | None = None,
) -> Path:
    pyproject = "[tool.carve]\n" + config
    root = make_project(tmp_path, {"pkg/__init__.py": "", "pyproject.toml": pyproject, **files})
    apply(root, plan(root, "pkg.models", names, destination, importers))
    return root


def read(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def test_reexport_gets_its_own_section_and_the_hub_convention(tmp_path: Path) -> None:
    models = (
        '"""Orders."""\n\nfrom decimal import Decimal\n\n\nclass Order:\n    total = Decimal(0)\n'
        "\n\nclass Shipment:\n    pass\n\n\nclass ShipmentItem:\n    pass\n"
    )
    root = moved(tmp_path, {"pkg/models.py": models}, ("Shipment", "ShipmentItem"))
    assert read(root, "pkg/models.py") == (
        '"""Orders."""\n\nfrom decimal import Decimal\n\n'
        "from .shipment_models import Shipment as Shipment\n"
        "from .shipment_models import ShipmentItem as ShipmentItem\n\n\n"
        "class Order:\n    total = Decimal(0)\n"
    )


def test_reexport_is_absolute_where_the_module_imports_absolutely(tmp_path: Path) -> None:
    files = {
        "pkg/base.py": "class Base:\n    pass\n",
        "pkg/models.py": "from pkg.base import Base\n\n\nclass A(Base):\n    pass\n\n\n"
        "class B(Base):\n    pass\n",
    }
    root = moved(tmp_path, files, ("A",))
    assert read(root, "pkg/models.py").startswith(
        "from pkg.a_models import A as A\nfrom pkg.base import Base\n\n\nclass B(Base):"
    )


def test_combine_as_imports_joins_the_reexports(tmp_path: Path) -> None:
    files = {"pkg/models.py": "class A:\n    pass\n\n\nclass B:\n    pass\n"}
    config = "\n[tool.ruff.lint.isort]\ncombine-as-imports = true\n"
    root = moved(tmp_path, files, ("A", "B"), config=config, destination="pkg.ab_models")
    assert read(root, "pkg/models.py") == "from .ab_models import A as A, B as B\n"


def test_long_lines_wrap_at_the_projects_line_length(tmp_path: Path) -> None:
    files = {
        "pkg/models.py": "class Alpha:\n    pass\n\n\nclass Beta:\n    pass\n\n\nclass Gamma:\n"
        "    pass\n",
        "pkg/user.py": "from pkg.models import Alpha, Beta  # why\n\n\nprint(Alpha, Beta)\n",
        "pkg/other.py": (
            "from pkg.models import (\n    Alpha,\n    Gamma,\n)\n\nprint(Alpha, Gamma)\n"
        ),
    }
    config = "\n[tool.ruff]\nline-length = 42\n"
    root = moved(tmp_path, files, ("Alpha", "Beta"), "direct", config, "pkg.greek_letters")
    assert read(root, "pkg/user.py") == (
        "from pkg.greek_letters import (  # why\n    Alpha,\n    Beta,\n)\n\n\nprint(Alpha, Beta)\n"
    )
    assert read(root, "pkg/other.py") == (
        "from pkg.greek_letters import Alpha\nfrom pkg.models import (\n    Gamma,\n)\n\n"
        "print(Alpha, Gamma)\n"
    )


def test_force_single_line_keeps_one_name_per_statement(tmp_path: Path) -> None:
    files = {
        "pkg/models.py": "class A:\n    pass\n\n\nclass B:\n    pass\n\n\nclass C:\n    pass\n",
        "pkg/user.py": (
            "from pkg.models import A\nfrom pkg.models import B\nfrom pkg.models import C\n"
        ),
    }
    config = "\n[tool.isort]\nforce_single_line = true\n"
    root = moved(tmp_path, files, ("A", "B"), "direct", config, "pkg.ab")
    assert read(root, "pkg/user.py") == (
        "from pkg.ab import A\nfrom pkg.ab import B\nfrom pkg.models import C\n"
    )


def test_an_unsorted_block_keeps_its_order(tmp_path: Path) -> None:
    files = {
        "pkg/models.py": "class A:\n    pass\n",
        "pkg/user.py": "import sys\nfrom pkg.models import A\nimport os\n\nprint(A, os, sys)\n",
    }
    root = moved(tmp_path, files, ("A",), "direct", destination="pkg.aa")
    assert read(root, "pkg/user.py") == (
        "import sys\nfrom pkg.aa import A\nimport os\n\nprint(A, os, sys)\n"
    )


def test_new_imports_of_an_existing_destination_go_in_their_section(tmp_path: Path) -> None:
    files = {
        "pkg/models.py": "import json\n\nimport attr\n\n\nclass A:\n    x = json, attr\n",
        "pkg/feature.py": '"""Feature."""\n\nimport os\n\nfrom pkg.base import Base\n\n\n'
        "class B(Base):\n    y = os\n",
        "pkg/base.py": "class Base:\n    pass\n",
    }
    root = moved(tmp_path, files, ("A",), destination="pkg.feature")
    assert read(root, "pkg/feature.py") == (
        '"""Feature."""\n\nimport json\nimport os\n\nimport attr\n\nfrom pkg.base import Base\n\n\n'
        "class B(Base):\n    y = os\n\n\nclass A:\n    x = json, attr\n"
    )


IMPORTS = {
    "import os": "os",
    "import json": "json",
    "from decimal import Decimal": "Decimal",
    "from typing import Any": "Any",
    "import attr": "attr",
    "from requests import get": "get",
    "from pkg.base import Base": "Base",
    "from pkg.base import helper": "helper",
    "from .util import slug": "slug",
    "import pkg.util": "pkg.util.slug",
    "from .util import Slugger as Slugger": "Slugger",
}
IMPORTER_FORMS = [
    "from pkg.models import {a}",
    "from pkg.models import {a}, {b}",
    "from .models import {a} as alias_{a}",
    "import pkg.models as m",
    "import os",
    "from pkg.base import Base",
    "from pkg.models import (\n    {a},\n    {b},\n)",
    "# about the models\nfrom pkg.models import {a}, {b}  # both",
    "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import os\n\n"
    "    from pkg.models import {b}",
    "def f():\n    import json\n    from pkg.models import {a}, {b}\n    return {a}, json",
]


@st.composite
def projects(draw: st.DrawFn) -> tuple[str, list[str], str]:
    """A `pkg/models.py` (names, imports, annotations drawn) and an importer of it."""
    names = [
        f"Name{i}" if draw(st.booleans()) else f"name{i}" for i in range(draw(st.integers(2, 4)))
    ]
    imports = draw(st.lists(st.sampled_from(sorted(IMPORTS)), unique=True, max_size=6))
    parts = ['"""Doc."""\n\n'] if draw(st.booleans()) else []
    if draw(st.booleans()):
        parts.append("from __future__ import annotations\n\n")
    parts += [line + "\n" for line in imports]
    for i, name in enumerate(names):
        uses = [IMPORTS[line] for line in imports if draw(st.booleans())]
        uses += draw(st.lists(st.sampled_from(names[:i] or [name]), max_size=1))
        annotation = f": {names[0]}" if i and names[0][0].isupper() and draw(st.booleans()) else ""
        refs = ", ".join(u for u in uses if u != name) or "None"
        parts.append(f"\n\ndef {name}(x{annotation} = None):\n    return [{refs}]\n")
    forms = draw(st.lists(st.sampled_from(IMPORTER_FORMS), unique=True, max_size=3))
    user = "".join(f.format(a=names[0], b=names[1]) + "\n" for f in forms)
    user += f"\n\nprint(m.{names[0]})\n" if "import pkg.models as m" in forms else ""
    return "".join(parts), names, user


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(projects(), st.data())
def test_moves_of_generated_modules_add_no_ruff_findings(
    project: tuple[str, list[str], str], data: st.DataObject
) -> None:
    models, names, user = project
    chosen = tuple(data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)))
    importers = data.draw(st.sampled_from(["keep", "hub", "direct"]))
    destination = data.draw(st.sampled_from([None, "pkg.util", "pkg.other"]))
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": "class Base: ...\ndef helper(): ...\n",
        "pkg/util.py": "def slug(): ...\nclass Slugger: ...\n",
        "pkg/other.py": "import os\n\nX = os\n",
        "pkg/models.py": models,
        "pkg/user.py": user,
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), files)
        assert RUFF is not None
        fix = [RUFF, "check", "--isolated", "--select", "I", "--fix", "-q", "."]
        subprocess.run(fix, cwd=root, capture_output=True, check=False)
        with contextlib.suppress(MoveError):  # a refusal is fine; new findings are not
            assert_no_new_violations(root, "pkg.models", chosen, destination, importers)


def test_comments_keep_their_statement_and_the_block_its_header(tmp_path: Path) -> None:
    files = {
        "pkg/models.py": "class A:\n    pass\n",
        "pkg/base.py": "class Base:\n    pass\n",
        "pkg/user.py": "# imports\nimport os\n\n# the base\nfrom pkg.base import Base\n"
        "from pkg.models import A  # the a\n\nprint(os, Base, A)\n",
    }
    root = moved(tmp_path, files, ("A",), "direct", destination="pkg.aa")
    assert read(root, "pkg/user.py") == (
        "# imports\nimport os\n\nfrom pkg.aa import A  # the a\n\n# the base\n"
        "from pkg.base import Base\n\nprint(os, Base, A)\n"
    )
    if RUFF is not None:
        assert not violations(root)
