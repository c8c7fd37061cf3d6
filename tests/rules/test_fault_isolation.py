"""One bad file never aborts a run: it becomes a finding and every other file is checked."""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from carve.core import loader
from carve.core.cache import SummaryCache
from carve.core.config import load_config
from carve.core.gather_ast import GatherSummary
from carve.core.loader import load_summaries, read_sources
from carve.core.parse import summarize_bytes, summarize_text
from carve.core.project import Project

from conftest import CarveRunner, check, make_project, where

FILES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg.gone import X\n",
    "pkg/b.py": "BOOM = 1\nclass B: ...\n",
    "pkg/c.py": "from pkg.b import B, Missing\n",
}
MESSAGE = "carve: internal error while summarising this file: KeyError: 'x'; please report it"


@pytest.fixture
def failing_gatherer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The `ast` gatherer raises on any module that assigns `BOOM` (a stand-in for a bug)."""
    original = GatherSummary.visit_statements

    def visit_statements(self: GatherSummary, body: Sequence[ast.stmt]) -> None:
        if any(isinstance(s, ast.Assign) and ast.unparse(s).startswith("BOOM") for s in body):
            raise KeyError("x")
        original(self, body)

    monkeypatch.setattr(GatherSummary, "visit_statements", visit_statements)


@pytest.mark.usefixtures("failing_gatherer")
def test_summary_of_a_failing_file_is_an_internal_error() -> None:
    for summary in (summarize_text("BOOM = 1\n"), summarize_bytes(b"BOOM = 1\n")):
        assert summary.internal_error
        assert summary.parse_error == (1, 0, MESSAGE)
        assert summary.line_count == 1


def test_unexpected_decode_failure_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def decode(data: bytes) -> str:
        raise LookupError("codec vanished")

    monkeypatch.setattr("carve.core.parse.decode", decode)
    summary = summarize_bytes(b"x = 1\n")
    assert summary.internal_error
    assert summary.parse_error is not None
    assert summary.parse_error[2] == (
        "carve: internal error while reading this file: LookupError: codec vanished; "
        "please report it"
    )


@pytest.mark.usefixtures("failing_gatherer")
def test_other_files_are_checked_and_names_from_the_bad_file_do_not_cascade(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, FILES)
    findings = check(root)
    assert where(findings, root) == [
        ("unresolved-import", "pkg/a.py", 1),
        ("internal-error", "pkg/b.py", 1),
    ]
    error = next(f for f in findings if f.rule == "internal-error")
    assert error.message == MESSAGE
    assert error.severity.value == "error"


@pytest.mark.usefixtures("failing_gatherer")
@pytest.mark.parametrize("cache", [True, False])
def test_cli_reports_internal_error_and_exits_1(
    tmp_path: Path, carve: CarveRunner, cache: bool
) -> None:
    root = make_project(tmp_path, FILES)
    flags = [] if cache else ["--no-cache"]
    for _ in range(2):  # the second run reads the cache
        run = carve("check", *flags, "--format", "json", cwd=root)
        assert run.code == 1, run.err
        assert "Traceback" not in run.err
        assert '"internal-error"' in run.out
        assert '"unresolved-import"' in run.out


@pytest.mark.usefixtures("failing_gatherer")
def test_status_survives_a_failing_file(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, FILES)
    run = carve("status", cwd=root)
    assert run.code == 0, run.err
    assert "internal-error 1" in run.out


@pytest.mark.usefixtures("failing_gatherer")
def test_internal_error_is_not_cached(tmp_path: Path) -> None:
    """A later carve without the bug must parse the file again, not read the failure back."""
    root = make_project(tmp_path, FILES)
    cache = SummaryCache(root)
    sources = read_sources(sorted(root.rglob("*.py")))
    summaries = load_summaries(sources, cache, jobs=1)
    assert summaries[root / "pkg/b.py"].internal_error
    assert cache.get(root / "pkg/b.py", sources[2].digest) is None
    assert cache.get(root / "pkg/a.py", sources[1].digest) is not None


@pytest.mark.usefixtures("failing_gatherer")
def test_parallel_workers_isolate_the_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "_PARALLEL_THRESHOLD", 1)
    root = make_project(tmp_path, FILES)
    sources = read_sources(sorted(root.rglob("*.py")))
    summaries = load_summaries(sources, SummaryCache(root, enabled=False), jobs=2)
    assert summaries[root / "pkg/b.py"].internal_error
    assert not summaries[root / "pkg/c.py"].internal_error
    assert summaries[root / "pkg/c.py"].imports


def test_a_dying_worker_does_not_lose_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-run (out of memory, a native crash): the rest is parsed here."""
    monkeypatch.setattr(loader, "_PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(loader, "_summarize_batch", _dying_batch)
    root = make_project(tmp_path, FILES)
    sources = read_sources(sorted(root.rglob("*.py")))
    summaries = load_summaries(sources, SummaryCache(root, enabled=False), jobs=2)
    assert set(summaries) == {s.path for s in sources}
    assert "B" in summaries[root / "pkg/b.py"].definitions


_SUMMARIZE_BATCH = loader._summarize_batch


def _dying_batch(batch: list[loader.BatchItem]) -> list[bytes]:
    """A worker's job that kills its process on pkg/b.py (module level: workers unpickle
    it by name)."""
    if any(path.name == "b.py" for path, _ in loader.batch_sources(batch)):
        os._exit(1)
    return _SUMMARIZE_BATCH(batch)


@pytest.mark.usefixtures("failing_gatherer")
def test_editor_update_of_a_failing_buffer(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    project = Project(load_config(root), use_cache=False)
    project.build()
    index = project.update(root / "pkg/a.py", "BOOM = 2\n")
    module = index.by_path[root / "pkg/a.py"]
    assert module.summary.internal_error


@pytest.mark.parametrize(
    "expression",
    [
        "+".join(["1"] * 3000),  # RecursionError in `ast`
        "lambda: " * 3000 + "1",  # MemoryError in `ast` before Python 3.12
        "a" + "[0]" * 3000,
        "-" * 3000 + "1",
    ],
)
@pytest.mark.parametrize("prefix", ["", "type A = int\n"], ids=["ast", "libcst"])
def test_deeply_nested_expression_is_a_parse_error(expression: str, prefix: str) -> None:
    text = f"{prefix}x = {expression}\nz = 1\n"
    summary = summarize_text(text)
    assert not summary.internal_error
    assert summary.parse_error == (1, 0, "syntax error: too deeply nested to parse")
    assert summary.line_count == text.count("\n")


def test_a_deep_file_alone() -> None:
    summary = summarize_text("x = " + "+".join(["1"] * 3000) + "\nz = 1\n")
    assert not summary.internal_error
    assert summary.parse_error == (1, 0, "syntax error: too deeply nested to parse")
    assert summary.line_count == 2


@pytest.mark.parametrize("cache", [True, False])
def test_deeply_nested_expression_through_the_cli(
    tmp_path: Path, carve: CarveRunner, cache: bool
) -> None:
    deep = "x = " + "+".join(["1"] * 3000) + "\n"
    files = {"pkg/__init__.py": "", "pkg/deep.py": deep, "pkg/ok.py": "from pkg.deep import x\n"}
    root = make_project(tmp_path, files)
    flags = [] if cache else ["--no-cache"]
    for _ in range(2):
        run = carve("check", *flags, cwd=root)
        assert run.code == 1, run.err
        assert "pkg/deep.py:1:1: parse-error syntax error: too deeply nested" in run.out
        assert "unresolved-import" not in run.out


def test_lone_bang_exclude_is_a_configuration_error(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, {"a.py": "x = 1\n"}, config='exclude = ["build", "!"]')
    run = carve("check", cwd=root)
    assert run.code == 2
    assert run.err.strip() == (
        f"carve: error: {root / 'pyproject.toml'}: [tool.carve] exclude: "
        "'!' is not a valid gitignore-style pattern (a lone '!' negates nothing)"
    )


def test_crash_with_carve_debug_exits_2(
    tmp_path: Path, carve: CarveRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> object:
        raise RuntimeError("bug")

    root = make_project(tmp_path, {"a.py": "x = 1\n"})
    monkeypatch.setattr("carve.core.check.run_checks", explode)
    monkeypatch.setenv("CARVE_DEBUG", "1")
    run = carve("check", "--no-cache", cwd=root)
    assert run.code == 2
    assert "Traceback" in run.err and "RuntimeError: bug" in run.err
    monkeypatch.delenv("CARVE_DEBUG")
    run = carve("check", "--no-cache", cwd=root)
    assert run.code == 2
    assert "carve: internal error: RuntimeError: bug" in run.err
