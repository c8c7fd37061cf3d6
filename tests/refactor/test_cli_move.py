"""`carve move`: diff by default, `--write` applies, refusals exit 1 with nothing written."""

from __future__ import annotations

from pathlib import Path

from move_harness import CarveRunner, make_project, snapshot

FILES = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": "class Invoice:\n    pass\n\n\nclass InvoiceLine:\n    pass\n",
    "apps/shop.py": "from apps.billing.models import Invoice, InvoiceLine\n",
    "apps/test_shop.py": 'TARGET = "apps.billing.models.Invoice"\n',
}


def test_prints_a_diff_and_writes_nothing(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, FILES)
    before = snapshot(root)
    run = carve(
        "move",
        "apps.billing.models.Invoice",
        "apps.billing.models.InvoiceLine",
        "--importers",
        "direct",
        cwd=root,
    )
    assert run.code == 0, run.err
    assert "+++ b/apps/billing/invoice_models.py" in run.out
    assert "-from apps.billing.models import Invoice, InvoiceLine" in run.out
    assert "+from apps.billing.invoice_models import Invoice, InvoiceLine" in run.out
    assert "apps/test_shop.py:1: `apps.billing.models.Invoice` is named in a string" in run.err
    assert snapshot(root) == before


def test_write_applies_and_a_second_run_has_nothing_to_do(
    tmp_path: Path, carve: CarveRunner
) -> None:
    root = make_project(tmp_path, FILES)
    run = carve("move", "apps.billing.models.Invoice", "--write", cwd=root)
    assert run.code == 0, run.err
    assert "(2 files changed)" in run.err
    assert (root / "apps/billing/invoice_models.py").read_text() == "class Invoice:\n    pass\n"
    again = carve("move", "apps.billing.models.Invoice", cwd=root)
    assert again.code == 0 and again.out == ""
    assert again.err == (
        "carve: nothing to change: `Invoice` already lives in `apps.billing.invoice_models`\n"
    )
    written = carve("move", "apps.billing.models.Invoice", "--write", cwd=root)
    assert written.code == 0 and "nothing to change" in written.err


def test_refusal_exits_1_and_writes_nothing(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, FILES)
    before = snapshot(root)
    run = carve("move", "apps.billing.models.Invoice", "--to", "elsewhere.x", "--write", cwd=root)
    assert run.code == 1
    assert "carve: cannot move: `elsewhere.x` is outside the workspace" in run.err
    assert snapshot(root) == before


def test_symbols_must_name_a_top_level_definition_of_one_module(
    tmp_path: Path, carve: CarveRunner
) -> None:
    root = make_project(tmp_path, FILES)
    nested = carve("move", "apps.billing.models.Invoice.save", cwd=root)
    assert nested.code == 1 and "not a top-level name" in nested.err
    mixed = carve("move", "apps.billing.models.Invoice", "apps.shop.x", cwd=root)
    assert mixed.code == 1 and "one module at a time" in mixed.err


def test_a_missing_module_in_the_path_is_named(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, FILES)
    run = carve("move", "apps.nope.X", cwd=root)
    assert run.code == 1
    assert run.err == (
        "carve: cannot move: no module `apps.nope` in the workspace "
        "(looked for `apps.nope.X` as module `apps.nope` + name `X`)\n"
    )


def test_a_move_into_a_test_module_is_refused_by_verification(
    tmp_path: Path, carve: CarveRunner
) -> None:
    """The hub left behind would import library code back from the tests."""
    root = make_project(tmp_path, {**FILES, "tests/__init__.py": ""})
    before = snapshot(root)
    run = carve("move", "apps.billing.models.Invoice", "--to", "tests.fixtures", cwd=root)
    assert run.code == 1
    assert "the move would make models.py:" in run.err
    assert "import the test module `tests.fixtures`" in run.err
    assert snapshot(root) == before


def test_a_move_out_of_an_existing_tangle_is_not_a_new_cycle(
    tmp_path: Path, carve: CarveRunner
) -> None:
    """jinja2: `nodes` imports `compiler` inside a function, so the two already form a
    tangle at runtime; the new file takes `compiler`'s import of `nodes` along."""
    files = {
        "pkg/__init__.py": "",
        "pkg/nodes.py": "def visit():\n    from pkg.compiler import CodeGenerator\n\n"
        "    return CodeGenerator\n",
        "pkg/compiler.py": "from pkg import nodes\n\n\nclass Frame:\n    kind = nodes.visit\n\n\n"
        "class CodeGenerator:\n    pass\n",
    }
    root = make_project(tmp_path, files)
    run = carve("move", "pkg.compiler.Frame", "--to", "pkg.frames", "--write", cwd=root)
    assert run.code == 0, run.err
    assert "from pkg import nodes" in (root / "pkg/frames.py").read_text()
    assert "from pkg.frames import Frame as Frame" in (root / "pkg/compiler.py").read_text()
