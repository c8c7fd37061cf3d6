"""Refusals: a clear message naming the file and line, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from move_harness import make_project, plan, snapshot

from carve.core.refactor.request import MoveError

BASE = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/invoice_models.py": "class Invoice:\n    pass\n",
}


def refusal(
    tmp_path: Path,
    models: str,
    names: tuple[str, ...],
    dest: str | None = None,
    extra: dict[str, str] | None = None,
) -> MoveError:
    root = make_project(tmp_path, {**BASE, **(extra or {}), "apps/billing/models.py": models})
    before = snapshot(root)
    with pytest.raises(MoveError) as caught:
        plan(root, "apps.billing.models", names, dest)
    assert snapshot(root) == before
    return caught.value


def test_name_exists_in_destination(tmp_path: Path) -> None:
    error = refusal(tmp_path, "class Invoice:\n    pass\n", ("Invoice",))
    assert "already defines `Invoice`" in str(error)
    assert str(error).startswith(str(tmp_path / "apps/billing/invoice_models.py") + ":1:")


def test_not_top_level(tmp_path: Path) -> None:
    models = "class Invoice:\n    class Line:\n        pass\n"
    error = refusal(tmp_path, models, ("Line",), "apps.billing.line_models")
    assert "not a top-level definition (it is inside `Invoice`)" in str(error)
    assert error.line == 2


def test_inside_a_block(tmp_path: Path) -> None:
    models = "import sys\n\nif sys.version_info > (3,):\n    class Invoice2:\n        pass\n"
    error = refusal(tmp_path, models, ("Invoice2",))
    assert "inside an `if`/`try` block" in str(error)


def test_destination_outside_workspace(tmp_path: Path) -> None:
    error = refusal(tmp_path, "class Bill:\n    pass\n", ("Bill",), "elsewhere.bills")
    assert "outside the workspace" in str(error)


def test_destination_package_missing(tmp_path: Path) -> None:
    error = refusal(tmp_path, "class Bill:\n    pass\n", ("Bill",), "apps.nowhere.bills")
    assert "`apps.nowhere` is not a package" in str(error)


def test_source_does_not_parse(tmp_path: Path) -> None:
    error = refusal(tmp_path, "class Bill:\n    pass\n\ndef broken(:\n", ("Bill",))
    assert "cannot parse" in str(error) and error.line == 4


def test_globals_access(tmp_path: Path) -> None:
    models = 'class Bill:\n    pass\n\n\nBILL = globals()["Bill"]\n'
    error = refusal(tmp_path, models, ("Bill",))
    assert "globals()['Bill']" in str(error) and error.line == 5


def test_unknown_name(tmp_path: Path) -> None:
    error = refusal(tmp_path, "class Bill:\n    pass\n", ("Nope",))
    assert "defines no `Nope`" in str(error)


def test_imported_name(tmp_path: Path) -> None:
    error = refusal(
        tmp_path, "from .invoice_models import Invoice\n", ("Invoice",), "apps.billing.x"
    )
    assert "imported into" in str(error)


def test_cycle_names_what_to_move_together(tmp_path: Path) -> None:
    models = (
        "RATE = 2\n\n\nclass Customer:\n    pass\n\n\n"
        "class Bill:\n    customer = Customer\n\n    def total(self):\n        return RATE\n"
    )
    error = refusal(tmp_path, models, ("Bill",))
    message = str(error)
    assert "`Customer`, `RATE`" in message and "import cycle" in message
    assert (
        "carve move apps.billing.models.Bill apps.billing.models.Customer "
        "apps.billing.models.RATE --to apps.billing.bill_models" in message
    )


def test_cycle_suggestion_includes_what_the_suggested_names_need(tmp_path: Path) -> None:
    models = (
        "RATE = 2\n\n\ndef helper():\n    return RATE\n\n\n"
        "class Bill:\n    def total(self):\n        return helper()\n"
    )
    error = refusal(tmp_path, models, ("Bill",))
    message = str(error)
    assert "`helper`, which stays" in message and "with `RATE`, which they need" in message
    assert (
        "carve move apps.billing.models.Bill apps.billing.models.helper "
        "apps.billing.models.RATE --to apps.billing.bill_models" in message
    )
    # following the advice works
    changes = plan(tmp_path, "apps.billing.models", ("Bill", "helper", "RATE"))
    assert changes.changes


def test_cycle_through_another_module(tmp_path: Path) -> None:
    extra = {"apps/billing/helpers.py": "from apps.billing.models import RATE\n\nHELP = RATE\n"}
    models = "from .helpers import HELP\n\nRATE = 1\n\n\ndef bill():\n    return HELP\n"
    error = refusal(tmp_path, models, ("bill",), extra=extra)
    assert "import cycle" in str(error)
    assert "apps.billing.bill_models → apps.billing.helpers → apps.billing.models" in str(error)


def test_assigned_together(tmp_path: Path) -> None:
    error = refusal(tmp_path, "A, B = 1, 2\n", ("A",), "apps.billing.a_models")
    assert "also assigns `B`" in str(error)
