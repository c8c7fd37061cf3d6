"""Fixes verify themselves: the workspace as it would be after the edit is re-checked in
memory, and a fix that adds a broken import, an import cycle or a test import is never
offered (quick fix, fix-all, `--fix`, the JSON `fix` field)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fix_helpers import context, fix_all, only, read

from carve.core.changeset import ChangeSet
from carve.core.fixes import FixError, plan_fix, verified_fix_all
from carve.core.verify import Verifier

from conftest import CarveRunner, check, make_project

# django.core.validators got `from django.forms import ValidationError`-style advice:
# routing an import through a package hub whose feature files import you back.
CYCLE_THROUGH_HUB = {
    "web/__init__.py": "",
    "web/core/__init__.py": "",
    "web/core/validators.py": "from web.forms.widgets import Widget\n\nDEFAULT = Widget\n",
    "web/forms/__init__.py": """
        from web.forms.fields import FIELD_VALIDATORS as FIELD_VALIDATORS
        from web.forms.widgets import Widget as Widget

        __all__ = ["FIELD_VALIDATORS", "Widget"]
    """,
    "web/forms/fields.py": "from web.core import validators\n\nFIELD_VALIDATORS = validators\n",
    "web/forms/widgets.py": "class Widget:\n    pass\n",
}


def test_a_quick_fix_that_closes_an_import_cycle_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, CYCLE_THROUGH_HUB)
    findings, ctx = context(root)
    bypass = only(findings, "hub-bypass")
    assert bypass.data["hub"] == "web.forms"
    # `web.forms.widgets` already initialises `web.forms` (its parent package) first, so
    # the tangle exists at runtime; the fix would read `Widget` from the half-built hub.
    with pytest.raises(FixError, match=r"inside the import cycle .*: web\.core\.validators → web"):
        plan_fix(bypass, "hub", ctx)


def test_fix_all_leaves_the_cycle_closing_fix_out_and_says_why(tmp_path: Path) -> None:
    root = make_project(tmp_path, CYCLE_THROUGH_HUB)
    before = read(root, "web/core/validators.py")
    changes, after = fix_all(root)
    assert read(root, "web/core/validators.py") == before
    assert [f.rule for f in after] == ["hub-bypass"]  # the finding stays, without a fix
    (warning,) = changes.warnings
    assert warning.startswith("web/core/validators.py:1: hub-bypass: the fix would read a new")


def test_cli_fix_reports_what_it_did_not_fix(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, CYCLE_THROUGH_HUB)
    run = carve("check", str(root), "--fix")
    assert "carve: warning: not fixed: web/core/validators.py:1: hub-bypass: " in run.err
    assert "inside the import cycle" in run.err
    assert run.code == 1
    report = json.loads(carve("check", str(root), "--format", "json").out)
    assert [(f["rule"], f.get("fix")) for f in report["findings"]] == [("hub-bypass", None)]


# Two fixes, each safe alone, close a cycle together through two component hubs (no
# parent package is involved): a.other → b.models → b.more → a.models → a.other.
TOGETHER_ONLY = {
    "a/__init__.py": "",
    "a/models.py": "from a.inv_models import Inv as Inv\nfrom a.other import O\n\nX = O\n",
    "a/inv_models.py": "class Inv:\n    pass\n",
    "a/other.py": "from b.pay_models import Pay\n\n\nclass O(Pay):\n    pass\n",
    "b/__init__.py": "",
    "b/models.py": "from b.pay_models import Pay as Pay\nfrom b.more import M\n\nY = M\n",
    "b/pay_models.py": "class Pay:\n    pass\n",
    "b/more.py": "from a.inv_models import Inv\n\n\nclass M(Inv):\n    pass\n",
}


def test_fix_all_verifies_the_combined_result(tmp_path: Path) -> None:
    root = make_project(tmp_path, TOGETHER_ONLY)
    findings, ctx = context(root)
    bypasses = [f for f in findings if f.rule == "hub-bypass"]
    assert len(bypasses) == 2
    for finding in bypasses:  # each alone is fine
        assert ctx.verifier.verify(_single(finding, ctx)).ok
    result = verified_fix_all(findings, ctx)
    assert len(result.accepted) == 1
    ((_refused, reason),) = result.refused
    assert "would close an import cycle" in reason
    changes, after = fix_all(root)
    assert not [f for f in after if f.rule == "import-cycle"]
    assert len(changes.changes) == 1


def _single(finding: object, ctx: object) -> ChangeSet:
    from carve.core.fixes import FixPlanner

    planner = FixPlanner(ctx)  # type: ignore[arg-type]
    planner.add(finding, "hub")  # type: ignore[arg-type]
    return planner.changeset("one")


def test_an_import_from_a_test_module_is_never_offered(tmp_path: Path) -> None:
    """Library code was told `from tests.serializers.models import ContentType`."""
    files = {
        "lib/__init__.py": "",
        "lib/admin.py": "from lib.contenttypes import ContentType\n",
        "lib/contenttypes.py": "class Other:\n    pass\n",
        "tests/__init__.py": "",
        "tests/serializers/__init__.py": "",
        "tests/serializers/models.py": "class ContentType:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    findings, ctx = context(root)
    unresolved = only(findings, "unresolved-import")
    assert unresolved.data["candidates"] == ["tests.serializers.models"]
    with pytest.raises(FixError, match=r"would make admin\.py:1 import the test module"):
        plan_fix(unresolved, "source:tests.serializers.models", ctx)
    result = verified_fix_all(findings, ctx)
    assert result.changes.is_empty()
    assert [f.rule for f, _ in result.refused] == ["unresolved-import"]


def test_verify_names_a_hub_edit_that_breaks_an_importer(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/models.py": "from .order_models import Order as Order\n",
        "shop/order_models.py": "class Order:\n    pass\n",
        "reports.py": "from shop.models import Order\n",
    }
    root = make_project(tmp_path, files)
    assert check(root, ["unresolved-import", "broken-reexport"]) == []
    _, ctx = context(root)
    hub = root / "shop/models.py"
    changes = ChangeSet("drop the re-export")
    changes.add(hub, read(root, "shop/models.py"), "")
    verdict = Verifier(ctx.index, ctx.config).verify(changes)
    (problem,) = verdict.problems
    assert problem.path == root / "reports.py"
    assert problem.culprits == frozenset({hub})
    assert "cannot import `Order` from `shop.models`" in problem.message


def test_verify_accepts_an_edit_that_changes_nothing_it_checks(tmp_path: Path) -> None:
    root = make_project(tmp_path, CYCLE_THROUGH_HUB)
    _, ctx = context(root)
    path = root / "web/forms/widgets.py"
    changes = ChangeSet("comment")
    changes.add(path, read(root, "web/forms/widgets.py"), "# widgets\nclass Widget:\n    pass\n")
    assert ctx.verifier.verify(changes).ok


def test_a_fix_adding_an_edge_inside_an_existing_cycle_is_refused(tmp_path: Path) -> None:
    """An old tangle imports in an order that happens to work; a new edge inside it can
    hit a partially initialised module at runtime."""
    files = {
        "core/__init__.py": 'from core.engine import Engine as Engine\n\nVERSION = "1"\n',
        "core/engine.py": """
            from core import VERSION
            from app.settings import DEBUG


            class Engine:
                pass
        """,
        "app/__init__.py": "",
        "app/settings.py": "from core.engine import Engine\n\nDEBUG = Engine\n",
    }
    root = make_project(tmp_path, files)
    findings, ctx = context(root)
    bypass = only(findings, "hub-bypass")
    with pytest.raises(FixError, match="would read a new name inside the import cycle"):
        plan_fix(bypass, "hub", ctx)


# sympy: `sympy.logic.inference` is reached while `sympy.core/__init__` is still running;
# it already imports `core`, so the edge is old, but the name `ordered` is not bound yet.
PARTLY_INITIALISED = {
    "core/__init__.py": """
        from core.basic import Basic as Basic
        from core.sorting import ordered as ordered
    """,
    "core/basic.py": "from logic import inference\n\n\nclass Basic:\n    pass\n",
    "core/sorting.py": "def ordered():\n    pass\n",
    "logic/__init__.py": "",
    "logic/inference.py": "import core\nfrom core.sorting import ordered\n\nRULES = [ordered]\n",
}


def test_a_fix_reading_a_name_from_a_partly_initialised_hub_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, PARTLY_INITIALISED)
    assert _imports(root, "core")  # the tree works as it is
    findings, ctx = context(root)
    bypass = only(findings, "hub-bypass")
    assert bypass.data["hub"] == "core"
    with pytest.raises(FixError, match="would read a new name inside the import cycle"):
        plan_fix(bypass, "hub", ctx)
    changes, _after = fix_all(root)
    assert changes.is_empty() and _imports(root, "core")
    # What the fix would have done breaks `import core` at runtime:
    inference = root / "logic/inference.py"
    inference.write_text(read(root, "logic/inference.py").replace("core.sorting", "core"))
    assert not _imports(root, "core")


def _imports(root: Path, module: str) -> bool:
    run = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=root, capture_output=True, check=False
    )
    return run.returncode == 0
