"""Refusals: a clear message naming the file and line, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from move_harness import build_index, make_project, plan, snapshot

from carve.core.refactor.move.planner import MoveSymbol
from carve.core.refactor.request import ImporterMode, MoveError, MoveRequest

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


def test_what_only_the_moved_code_needs_moves_along(tmp_path: Path) -> None:
    models = (
        "RATE = 2\n\n\nclass Customer:\n    pass\n\n\n"
        "class Bill:\n    customer = Customer\n\n    def total(self):\n        return RATE\n"
    )
    root = make_project(tmp_path, {**BASE, "apps/billing/models.py": models})
    changes = plan(root, "apps.billing.models", ("Bill",))
    moved = changes.text_of(root / "apps/billing/bill_models.py") or ""
    assert moved.startswith("RATE = 2\n\n\nclass Customer:")  # source order kept
    assert changes.notes == [
        "also moved to apps/billing/bill_models.py: `Customer`, `RATE` (only the moved code "
        "needs them)"
    ]


def test_without_extraction_the_refusal_names_the_command_that_extracts(
    tmp_path: Path,
) -> None:
    models = (
        "RATE = 2\n\n\ndef helper():\n    return RATE\n\n\n"
        "class Bill:\n    def total(self):\n        return helper()\n\n\n"
        "def report():\n    return helper()\n"
    )
    root = make_project(tmp_path, {**BASE, "apps/billing/models.py": models})
    before = snapshot(root)
    request = MoveRequest(
        "apps.billing.models", ("Bill",), None, ImporterMode.DIRECT, extract=False
    )
    with pytest.raises(MoveError) as caught:
        MoveSymbol(build_index(root), request).plan()
    message = str(caught.value)
    assert "needs `RATE`, `helper`, which code staying in `apps.billing.models`" in message
    assert "import cycle" in message
    assert (
        "carve move apps.billing.models.Bill --to apps.billing.bill_models --importers direct "
        "(extracts them to `apps.billing.base_models`)" in message
    )
    assert snapshot(root) == before
    # following the advice works
    changes = plan(root, "apps.billing.models", ("Bill",), importers="direct")
    assert (
        changes.text_of(root / "apps/billing/base_models.py")
        == models[: models.index("\n\n\nclass")] + "\n"
    )


def test_cycle_through_another_module(tmp_path: Path) -> None:
    extra = {"apps/billing/helpers.py": "from apps.billing.models import RATE\n\nHELP = RATE\n"}
    models = "from .helpers import HELP\n\nRATE = 1\n\n\ndef bill():\n    return HELP\n"
    error = refusal(tmp_path, models, ("bill",), extra=extra)
    assert "import cycle" in str(error)
    assert "apps.billing.bill_models → apps.billing.helpers → apps.billing.models" in str(error)


def test_assigned_together(tmp_path: Path) -> None:
    error = refusal(tmp_path, "A, B = 1, 2\n", ("A",), "apps.billing.a_models")
    assert "also assigns `B`" in str(error)
