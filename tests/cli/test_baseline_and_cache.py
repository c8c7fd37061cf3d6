"""Baseline life cycle and the on-disk cache, through the CLI."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from carve.core import cache as cache_module
from carve.core.cache import SummaryCache, code_stamp
from carve.core.summary import ModuleSummary

from conftest import CarveRunner, make_project
from test_check_cli import HUB_PROJECT


def test_baseline_life_cycle(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    baseline = root / "carve-baseline.json"
    assert carve("check", str(root), "--write-baseline", str(baseline)).code == 0
    entries = json.loads(baseline.read_text())["entries"]
    assert entries == [
        {
            "path": "apps/orders/views.py",
            "rule": "hub-bypass",
            "symbol": "apps.billing.invoice_models.Invoice",
            "count": 1,
        }
    ]
    assert carve("check", str(root), "--baseline", str(baseline)).code == 0

    # Lines shift: the entry still matches.
    views = root / "apps" / "orders" / "views.py"
    views.write_text("# a new header comment\n\n" + views.read_text())
    assert carve("check", str(root), "--baseline", str(baseline)).code == 0

    # A new finding is reported, the old one still hidden.
    (root / "apps" / "orders" / "api.py").write_text(
        "from apps.billing.invoice_models import Invoice\n"
    )
    run = carve("check", str(root), "--baseline", str(baseline))
    assert run.code == 1
    assert [line.split(":")[0] for line in run.out.splitlines()[:-1]] == ["apps/orders/api.py"]

    # Fixing the recorded finding makes its entry stale: the baseline must shrink.
    (root / "apps" / "orders" / "api.py").unlink()
    views.write_text("from apps.billing.models import Invoice\n\nprint(Invoice)\n")
    run = carve("check", str(root), "--baseline", str(baseline))
    assert run.code == 1 and "stale-baseline" in run.out
    carve("check", str(root), "--write-baseline", str(baseline))
    assert json.loads(baseline.read_text())["entries"] == []


def test_unreadable_baseline_is_a_usage_error(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, {"a.py": ""})
    (root / "b.json").write_text("{not json")
    run = carve("check", str(root), "--baseline", str(root / "b.json"))
    assert run.code == 2 and "not a carve baseline" in run.err


def test_cache_reuses_summaries_and_sees_edits(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    assert carve("check", str(root)).code == 1
    cache_files = list((root / ".carve_cache").glob("index-*.pickle"))
    assert len(cache_files) == 1
    views = root / "apps" / "orders" / "views.py"
    views.write_text("from apps.billing.models import Invoice\n\nprint(Invoice)\n")
    assert carve("check", str(root)).code == 0  # the edit is seen despite the cache


def test_corrupt_cache_is_ignored_with_a_warning(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    carve("check", str(root))
    for cache_file in (root / ".carve_cache").glob("*.pickle"):
        cache_file.write_bytes(b"garbage")
    run = carve("check", str(root))
    assert run.code == 1 and "ignored unreadable cache" in run.err
    assert "hub-bypass" in run.out


def test_result_cache_follows_configuration(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    assert carve("check", str(root)).code == 1
    assert list((root / ".carve_cache").glob("results-*.pickle"))
    assert carve("check", str(root)).code == 1  # answered from the result cache
    (root / "pyproject.toml").write_text('[tool.carve]\nimport-policy = "direct"\n')
    run = carve("check", str(root))
    assert run.code == 0, run.out  # the new policy is applied, not the cached findings


def test_overlapping_runs_share_the_cache_safely(tmp_path: Path) -> None:
    files = dict(HUB_PROJECT)
    for i in range(120):  # enough files for the parallel parser
        files[f"apps/bulk/m{i}.py"] = f"from apps.billing.models import Invoice\nX{i} = Invoice\n"
    root = make_project(tmp_path, files)
    command = [sys.executable, "-m", "carve", "check", str(root), "--format", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [json.loads(p.communicate()[0]) for p in runs]
    assert all(p.returncode == 1 for p in runs)
    assert outputs[0] == outputs[1] == outputs[2]
    again = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    assert json.loads(again.stdout) == outputs[0]


def test_caches_written_by_other_carve_code_are_not_reused(
    tmp_path: Path, carve: CarveRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editable install keeps its version number while its parser and rules change:
    summaries and findings pickled by other code must not be trusted."""
    root = make_project(tmp_path, HUB_PROJECT)
    assert carve("check", str(root)).code == 1
    # What an older parser might have produced: summaries that see no import at all.
    [index_file] = (root / ".carve_cache").glob("index-*.pickle")
    data = pickle.loads(index_file.read_bytes())
    empty = pickle.dumps(ModuleSummary())
    data["entries"] = {path: (d, empty) for path, (d, _) in data["entries"].items()}
    index_file.write_bytes(pickle.dumps(data))
    for results in (root / ".carve_cache").glob("results-*.pickle"):
        results.unlink()
    assert carve("check", str(root)).code == 0  # same code: the (doctored) cache is trusted

    monkeypatch.setattr(cache_module, "code_stamp", lambda: "0.1.0+changed")
    monkeypatch.setattr("carve.core.check.code_stamp", lambda: "0.1.0+changed")
    run = carve("check", str(root))
    assert run.code == 1 and "hub-bypass" in run.out  # other code: parsed again
    assert "unreadable cache" not in run.err  # outdated is not corrupt: no warning


def test_code_stamp_follows_the_code(tmp_path: Path) -> None:
    stamp = code_stamp.__wrapped__  # uncached
    (tmp_path / "rules.py").write_text("X = 1\n")
    before = stamp(tmp_path)
    assert stamp(tmp_path) == before
    (tmp_path / "rules.py").write_text("X = 10\n")
    assert stamp(tmp_path) != before
    assert code_stamp().startswith(code_stamp.__wrapped__(Path(cache_module.__file__).parent))


def test_a_failed_cache_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    cache = SummaryCache(tmp_path)
    cache.put(tmp_path / "a.py", "digest", ModuleSummary())
    monkeypatch.setattr(cache_module.pickle, "dump", disk_full)
    cache.save()
    assert cache.warning is not None and "No space left on device" in cache.warning
    assert sorted(p.name for p in (tmp_path / ".carve_cache").iterdir()) == [".gitignore"]
