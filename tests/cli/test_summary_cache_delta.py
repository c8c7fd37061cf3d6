"""The summary cache's delta file: an edit rewrites a few entries beside the base."""

from __future__ import annotations

from pathlib import Path

import pytest

from carve.core import cache as cache_module
from carve.core.cache import SummaryCache
from carve.core.summary import ModuleSummary


def summary(lines: int) -> ModuleSummary:
    return ModuleSummary(line_count=lines)


def filled(root: Path, count: int) -> SummaryCache:
    cache = SummaryCache(root)
    cache.load()
    for number in range(count):
        cache.put(root / f"m{number}.py", f"d{number}", summary(number))
    cache.save()
    return cache


def reloaded(root: Path) -> SummaryCache:
    cache = SummaryCache(root)
    cache.load()
    return cache


def test_a_few_changes_go_to_the_delta_and_read_back(tmp_path: Path) -> None:
    filled(tmp_path, 100)
    cache = reloaded(tmp_path)
    cache.put(tmp_path / "m1.py", "new", summary(1000))
    cache.retain({(tmp_path / f"m{n}.py").as_posix() for n in range(100) if n != 2})
    base_bytes = cache.file.read_bytes()
    cache.save()
    assert cache.file.read_bytes() == base_bytes  # the base is left alone
    assert cache.delta_file.exists()
    again = reloaded(tmp_path)
    assert again.get(tmp_path / "m1.py", "new") == summary(1000)
    assert again.get(tmp_path / "m1.py", "d1") is None
    assert again.get(tmp_path / "m2.py", "d2") is None  # deleted stays deleted
    assert again.get(tmp_path / "m3.py", "d3") == summary(3)


def test_a_big_delta_is_folded_into_the_base(tmp_path: Path) -> None:
    filled(tmp_path, 100)
    cache = reloaded(tmp_path)
    for number in range(70):
        cache.put(tmp_path / f"m{number}.py", f"e{number}", summary(-number))
    cache.save()
    assert not cache.delta_file.exists()
    again = reloaded(tmp_path)
    assert again.get(tmp_path / "m5.py", "e5") == summary(-5)
    assert again.get(tmp_path / "m90.py", "d90") == summary(90)


def test_a_base_written_by_other_code_takes_no_delta(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delta beside a base nobody can read would be lost: the base is rewritten."""
    filled(tmp_path, 10)
    monkeypatch.setattr(cache_module, "code_stamp", lambda: "0.1.0+other")
    cache = reloaded(tmp_path)
    assert cache.entries == {}
    cache.put(tmp_path / "m1.py", "x", summary(7))
    cache.save()
    assert not cache.delta_file.exists()
    assert reloaded(tmp_path).get(tmp_path / "m1.py", "x") == summary(7)


def test_a_delta_from_other_code_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(tmp_path, 10)
    cache = reloaded(tmp_path)
    cache.put(tmp_path / "m1.py", "x", summary(7))
    cache.save()
    assert cache.delta_file.exists()
    # The base rewritten by other code: the delta (written for the old base) is dropped.
    monkeypatch.setattr(cache_module, "code_stamp", lambda: "0.1.0+other")
    filled(tmp_path, 10).save()
    assert reloaded(tmp_path).get(tmp_path / "m1.py", "x") is None


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_summaries_pickled_by_parse_workers_are_cached_as_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_method: str
) -> None:
    """Workers send each summary pickled; the cache writes those very bytes. What a later
    run reads back is what the parse produced, and what this run kept in memory."""
    from carve.core import loader
    from carve.core.source import read_sources

    if start_method not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip(f"no {start_method} here")
    monkeypatch.setattr(loader, "_PARALLEL_THRESHOLD", 1)
    for number in range(70):  # more than one file per batch
        text = f"from pkg.m{number + 1} import C{number + 1}\n\n\nclass C{number}:\n    pass\n"
        (tmp_path / f"m{number}.py").write_text(text, encoding="utf-8")
    sources = read_sources(sorted(tmp_path.glob("*.py")))
    cache = SummaryCache(tmp_path)
    cache.load()
    parsed = loader.load_summaries(sources, cache, jobs=2, start_method=start_method)  # type: ignore[arg-type]
    cache.save()
    again = reloaded(tmp_path)
    for source in sources:
        assert parsed[source.path].definitions  # really parsed
        assert again.get(source.path, source.digest) == parsed[source.path]
