"""`Project`: parse workers' start method, and re-indexing single files (the editor's
hot path) without walking the workspace."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from carve.core.config import load_config
from carve.core.loader import pool_context
from carve.core.project import Project

from conftest import make_project

FILES = {f"pkg/m{i}.py": f"class C{i}:\n    pass\n" for i in range(60)}


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_parallel_build_with_a_chosen_start_method(tmp_path: Path, method: str) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    root = make_project(tmp_path, {"pkg/__init__.py": "", **FILES})
    project = Project(load_config(root), use_cache=False, jobs=2, start_method=method)
    index = project.build()
    assert len(index.by_path) == 61
    assert "C42" in index.get("pkg.m42").summary.definitions  # type: ignore[union-attr]


def test_start_method_defaults_and_fallback() -> None:
    available = multiprocessing.get_all_start_methods()
    assert pool_context().get_start_method() == ("fork" if "fork" in available else "spawn")
    assert pool_context("spawn").get_start_method() == "spawn"


def test_update_many_swaps_modules_in_one_index(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/a.py": "A = 1\n", "pkg/b.py": "B = 1\n"},
    )
    project = Project(load_config(root), use_cache=False)
    before = project.build()
    untouched = before.get("pkg.b")
    after = project.update_many({root / "pkg/a.py": "A = 1\nA2 = 2\n"})
    assert set(after.get("pkg.a").summary.definitions) == {"A", "A2"}  # type: ignore[union-attr]
    assert after.get("pkg.b") is untouched  # summaries and cached bindings shared
    assert set(before.get("pkg.a").summary.definitions) == {"A"}  # type: ignore[union-attr]
    reverted = project.update(root / "pkg/a.py", None)  # the buffer closed: disk again
    assert set(reverted.get("pkg.a").summary.definitions) == {"A"}  # type: ignore[union-attr]
    (root / "pkg/b.py").unlink()
    assert project.update(root / "pkg/b.py", None).get("pkg.b") is None


def test_a_new_file_under_a_second_root_is_named_from_that_root(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "services/portal/manage.py": "",
            "services/portal/apps/__init__.py": "",
            "services/portal/apps/views.py": "V = 1\n",
        },
    )
    project = Project(load_config(root), use_cache=False)
    assert project.build().get("apps.views") is not None
    new_file = root / "services" / "portal" / "apps" / "forms.py"
    index = project.update(new_file, "F = 1\n")  # an unsaved buffer, never walked
    module = index.by_path[new_file]
    assert module.name == "apps.forms"
    assert module.root == root / "services" / "portal"
