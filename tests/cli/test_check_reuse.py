"""What `check_project` reuses from `.carve_cache/`: unchanged stat stamps answer without
reading a file; an edit that keeps every interface (no import, definition or `__all__`
changed) re-checks that file alone. Every answer must equal a `--no-cache` check."""

from __future__ import annotations

import os
import pathlib
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from carve.core import check as check_module
from carve.core import interface
from carve.core.cache import FileStamps, SummaryCache
from carve.core.check import CheckOptions, CheckResult, check_project
from carve.core.config import load_config
from carve.core.findings import Finding
from carve.core.project import Project
from carve.core.summary import ModuleSummary

from conftest import make_project
from test_check_cli import HUB_PROJECT

CYCLE_PROJECT = {
    **HUB_PROJECT,
    "apps/orders/models.py": """
        from apps.orders import services

        class Order:
            pass
    """,
    "apps/orders/services.py": """
        # carve: ignore[hub-bypass] kept for the demo
        from apps.orders.models import Order

        def total(order: Order) -> int:
            return 0
    """,
}


@pytest.fixture(autouse=True)
def stamps_trusted_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests edit files within the racy window; their edits change mtime and ctime."""
    monkeypatch.setattr(FileStamps, "RACY_NS", 0)


@pytest.fixture
def reruns(monkeypatch: pytest.MonkeyPatch) -> list[set[Path] | None]:
    """The `only` set of each rule run `check_project` makes (None: everything)."""
    seen: list[set[Path] | None] = []
    real = check_module.run_checks

    def recording(index: object, config: object, options: CheckOptions) -> CheckResult:
        seen.append(options.only)
        return real(index, config, options)  # type: ignore[arg-type]

    monkeypatch.setattr(check_module, "run_checks", recording)
    return seen


def cached(root: Path, with_fixes: bool = False) -> list[Finding]:
    project = Project(load_config(root), jobs=1)
    return check_project(project, [root], with_fixes=with_fixes).findings


def uncached(root: Path, with_fixes: bool = False) -> list[Finding]:
    project = Project(load_config(root), use_cache=False, jobs=1)
    return check_project(project, [root], with_fixes=with_fixes).findings


def test_a_body_edit_rechecks_that_file_alone(
    tmp_path: Path, reruns: list[set[Path] | None]
) -> None:
    root = make_project(tmp_path, CYCLE_PROJECT)
    cached(root)
    services = root / "apps/orders/services.py"
    # Every position in the file moves, the suppression too; the interface stays.
    services.write_text("\n\n# moved down\n" + services.read_text() + "\nprint(1)\n")
    reruns.clear()
    assert cached(root) == uncached(root)
    assert reruns[0] == {services}
    assert any(f.path == services and f.span.line == 4 for f in cached(root))


def test_an_interface_edit_rechecks_everything(
    tmp_path: Path, reruns: list[set[Path] | None]
) -> None:
    root = make_project(tmp_path, CYCLE_PROJECT)
    cached(root)
    services = root / "apps/orders/services.py"
    services.write_text(services.read_text().replace("from apps.orders.models", "from x"))
    reruns.clear()
    assert cached(root) == uncached(root)
    assert reruns[0] is None


@pytest.mark.parametrize(
    "edit",
    [
        "class Extra:\n    pass\n",  # a definition
        "__all__ = ['total']\n",  # __all__
        "import apps.billing.models\n",  # an import
        "def broken(:\n",  # a parse error
    ],
)
def test_each_interface_part_counts(
    tmp_path: Path, reruns: list[set[Path] | None], edit: str
) -> None:
    root = make_project(tmp_path, CYCLE_PROJECT)
    cached(root)
    services = root / "apps/orders/services.py"
    services.write_text(services.read_text() + edit)
    reruns.clear()
    assert cached(root) == uncached(root)
    assert reruns[0] is None


def test_an_unchanged_tree_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, CYCLE_PROJECT)
    first = cached(root)

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"read {self}")

    monkeypatch.setattr(pathlib.Path, "read_bytes", no_reading)
    assert cached(root) == first


def test_a_touched_file_is_read_and_answered_from_the_cache(
    tmp_path: Path, reruns: list[set[Path] | None]
) -> None:
    root = make_project(tmp_path, CYCLE_PROJECT)
    first = cached(root)
    views = root / "apps/orders/views.py"
    views.write_text(views.read_text())  # same content, new mtime and ctime
    os.utime(views)
    reruns.clear()
    assert cached(root) == first
    assert reruns == []


def test_a_same_size_rewrite_with_the_old_mtime_is_noticed(tmp_path: Path) -> None:
    """ctime is part of the stamp: restoring size and mtime does not hide an edit."""
    root = make_project(tmp_path, CYCLE_PROJECT)
    cached(root)
    views = root / "apps/orders/views.py"
    before = views.stat()
    text = views.read_text()
    views.write_text(text.replace("apps.billing.invoice_models", "apps.billing.models_invoice"))
    os.utime(views, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert views.stat().st_size == before.st_size
    assert cached(root) == uncached(root)


def test_a_file_edited_within_the_racy_window_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FileStamps, "RACY_NS", 10**12)  # every file is "just written"
    root = make_project(tmp_path, CYCLE_PROJECT)
    cached(root)
    stamps = FileStamps(root)
    assert stamps.stored == {}


def test_json_fixes_are_never_merged_from_a_partial_run(
    tmp_path: Path, reruns: list[set[Path] | None]
) -> None:
    """Another file's fix may edit the changed file: with fixes, everything is re-run."""
    root = make_project(tmp_path, CYCLE_PROJECT)
    first = cached(root, with_fixes=True)
    assert any(f.fix is not None for f in first)
    assert cached(root, with_fixes=True) == first  # fixes unpacked from the cache
    hub = root / "apps/billing/models.py"
    hub.write_text("# the hub\n" + hub.read_text())
    reruns.clear()
    assert cached(root, with_fixes=True) == uncached(root, with_fixes=True)
    assert reruns[0] is None


def test_a_partial_report_reruns_only_reported_changed_files(
    tmp_path: Path, reruns: list[set[Path] | None]
) -> None:
    root = make_project(tmp_path, CYCLE_PROJECT)
    orders = root / "apps/orders"
    project = Project(load_config(root), jobs=1)
    check_project(project, [orders])
    services = orders / "services.py"
    hub = root / "apps/billing/models.py"
    services.write_text("\n" + services.read_text())
    hub.write_text("\n" + hub.read_text())
    reruns.clear()
    again = check_project(Project(load_config(root), jobs=1), [orders]).findings
    fresh = check_project(Project(load_config(root), use_cache=False), [orders]).findings
    assert again == fresh
    assert reruns[0] == {services}


def test_a_new_file_rechecks_everything(tmp_path: Path, reruns: list[set[Path] | None]) -> None:
    root = make_project(tmp_path, CYCLE_PROJECT)
    cached(root)
    (root / "apps/orders/api.py").write_text("from apps.billing.invoice_models import Invoice\n")
    reruns.clear()
    assert cached(root) == uncached(root)
    assert reruns[0] is None


def test_interface_digests_read_todays_summary_fields_directly() -> None:
    """A field added to a summary sends every digest through the generic (10x slower)
    reader: still correct, but `_known_fields` should learn the field."""
    assert interface._SHAPES_KNOWN


def test_a_body_edit_in_a_cycle_reuses_the_stored_tangles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same import edges give the same tangles: the re-check reads the cut file's
    own (moved) import statement and never rebuilds the whole import graph."""
    from carve.core.rules import cycles

    root = make_project(tmp_path, CYCLE_PROJECT)
    (cycle,) = [f for f in cached(root) if f.rule == "import-cycle"]
    cut_file = cycle.path
    cut_file.write_text("\n\n# moved down\n" + cut_file.read_text())
    expected = [f for f in uncached(root) if f.rule == "import-cycle"]

    def no_graph(*args: object, **kwargs: object) -> object:
        raise AssertionError("the whole import graph was built again")

    monkeypatch.setattr(cycles, "import_graph", no_graph)
    after = [f for f in cached(root) if f.rule == "import-cycle"]
    assert after == expected
    assert after[0].span.line == cycle.span.line + 3


UNRELATED = {
    **CYCLE_PROJECT,
    "apps/shipping/__init__.py": "",
    "apps/shipping/rates.py": """
        RATE = 3
    """,
}


def loaded_summaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The posix paths whose cached summary a run unpickles, in order."""
    seen: list[str] = []
    real = SummaryCache.get_posix

    def recording(self: SummaryCache, path: str, digest: str) -> object:
        seen.append(path)
        return real(self, path, digest)

    monkeypatch.setattr(SummaryCache, "get_posix", recording)
    return seen


def test_a_body_edit_reads_the_neighbours_summaries_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, UNRELATED)
    cached(root)
    views = root / "apps/orders/views.py"
    views.write_text(views.read_text() + "\n# a comment\n")
    loaded = loaded_summaries(monkeypatch)
    after = cached(root)
    read = set(loaded)
    assert after == uncached(root)
    assert (root / "apps/billing/invoice_models.py").as_posix() in read  # what it imports
    assert (root / "apps/shipping/rates.py").as_posix() not in read


def test_an_interface_edit_after_a_lazy_start_reads_every_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, UNRELATED)
    cached(root)
    views = root / "apps/orders/views.py"
    views.write_text(views.read_text() + "\nclass Extra:\n    pass\n")
    loaded = loaded_summaries(monkeypatch)
    after = cached(root)
    read = set(loaded)
    assert after == uncached(root)
    assert (root / "apps/shipping/rates.py").as_posix() in read


@pytest.mark.parametrize("damage", [b"not a pickle", pickle.dumps("not a summary"), None])
def test_a_damaged_summary_entry_is_parsed_again(
    tmp_path: Path, reruns: list[set[Path] | None], damage: bytes | None
) -> None:
    """Each summary is unpickled on first use: one that does not unpickle to a summary
    (or an entry of another shape) is a miss, never a traceback or a stale finding."""
    root = make_project(tmp_path, UNRELATED)
    cached(root)
    [index_file] = (root / ".carve_cache").glob("index-*.pickle")
    data = pickle.loads(index_file.read_bytes())
    entries = data["entries"]
    views = root / "apps/orders/views.py"
    for path, (digest, _) in entries.items():  # every other file's, the neighbours' too
        if path != views.as_posix():
            entries[path] = (digest, ModuleSummary() if damage is None else damage)
    index_file.write_bytes(pickle.dumps(data))
    views.write_text(views.read_text() + "\n# a comment\n")
    reruns.clear()
    assert cached(root) == uncached(root)
    assert reruns[0] == {views}  # the other files' findings still come from the result


def test_a_summary_cache_of_the_old_format_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Format 1 pickled every summary in one piece, under another file name."""
    root = make_project(tmp_path, UNRELATED)
    cached(root)
    [index_file] = (root / ".carve_cache").glob("index-*.pickle")
    data = pickle.loads(index_file.read_bytes())
    entries = {p: (d, pickle.loads(s)) for p, (d, s) in data["entries"].items()}
    old = index_file.with_name(index_file.name.replace("-2.pickle", "-1.pickle"))
    old.write_bytes(pickle.dumps({"stamp": data["stamp"], "entries": entries}))
    index_file.unlink()
    views = root / "apps/orders/views.py"
    views.write_text(views.read_text() + "\n# a comment\n")
    assert cached(root) == uncached(root)
    assert index_file.exists()


def test_a_run_the_result_cache_answers_imports_no_parser(tmp_path: Path) -> None:
    """Nor the index, the rules or pathspec: most of a warm run would be imports."""
    root = make_project(tmp_path, UNRELATED)
    heavy = ("carve.core.project", "carve.core.parse", "carve.core.index", "pathspec")
    code = (
        "import sys; from carve.cli.main import main; "
        "main(['check', '--exit-zero', sys.argv[1]]); "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    first = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True)
    assert first.stdout.splitlines()[-1] != "[]"  # a cold run needs them
    warm = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True)
    assert warm.stdout.splitlines()[-1] == "[]"
