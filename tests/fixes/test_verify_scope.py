"""The verifier re-checks only what a change set reaches: the graph it builds from the
baseline equals the whole graph rebuilt, and what it finds equals a whole re-check,
also when the change set creates or deletes modules."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from carve.core.changeset import ChangeSet
from carve.core.check import CheckOptions, run_checks
from carve.core.config import load_config
from carve.core.graphs import strongly_connected
from carve.core.index import WorkspaceIndex
from carve.core.overlay import overlay
from carve.core.project import Project
from carve.core.rules.cycles import import_graph
from carve.core.verify import Verifier
from carve.core.verify_scope import EditReach, LazyGraph, importers_by_module

FILES = {
    "pkg/__init__.py": "",
    "pkg/utils/__init__.py": "from .timezone import now as now\n",
    "pkg/utils/timezone.py": "def now():\n    return 1\n",
    "pkg/db.py": "from pkg.utils import clock\n\nprint(clock)\n",  # unresolved before
    "pkg/lazy.py": "def f():\n    import pkg.utils.clock\n",
    "pkg/star.py": "from pkg.utils import *\n",
    "pkg/user.py": "from pkg.star import now\n\nprint(now)\n",
    "pkg/views.py": "from pkg.utils.timezone import now\n\nprint(now)\n",
}


def project(tmp_path: Path) -> WorkspaceIndex:
    (tmp_path / "pyproject.toml").write_text("[tool.carve]\n")
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Project(load_config(tmp_path), use_cache=False).build()


def change_sets(root: Path) -> dict[str, ChangeSet]:
    create = ChangeSet("create clock")
    create.add(root / "pkg/utils/clock.py", None, "from pkg.db import clock\n")
    delete = ChangeSet("delete timezone")
    delete.delete(root / "pkg/utils/timezone.py", FILES["pkg/utils/timezone.py"])
    edit = ChangeSet("drop the re-export")
    edit.add(root / "pkg/utils/__init__.py", FILES["pkg/utils/__init__.py"], "")
    return {"create": create, "delete": delete, "edit": edit}


@pytest.mark.parametrize("case", ["create", "delete", "edit"])
def test_the_graph_after_equals_the_whole_graph_rebuilt(tmp_path: Path, case: str) -> None:
    index = project(tmp_path)
    changes = change_sets(tmp_path)[case]
    after = overlay(index, changes)
    edited = {c.path for c in changes.changes}
    reach = EditReach(index, after, edited, *importers_by_module(index))
    assert reach.graph(import_graph(index, runtime=True)) == import_graph(after, runtime=True)


@pytest.mark.parametrize("case", ["create", "delete", "edit"])
def test_broken_imports_equal_a_whole_recheck(tmp_path: Path, case: str) -> None:
    index = project(tmp_path)
    config = index.config
    changes = change_sets(tmp_path)[case]
    after = overlay(index, changes)
    rules = frozenset({"unresolved-import", "broken-reexport"})
    keys = lambda i: {  # noqa: E731
        (f.path, f.rule, f.symbol) for f in run_checks(i, config, CheckOptions(rules)).findings
    }
    new = keys(after) - keys(index)
    verdict = Verifier(index, config).verify(changes)
    found = {p.path for p in verdict.problems if "import" in p.message and "cycle" not in p.message}
    assert found == {path for path, _, _ in new}
    assert new or case == "create"  # creating `clock` mends `pkg.db`, breaks nothing


def test_the_lazy_graph_equals_the_whole_graph(tmp_path: Path) -> None:
    index = project(tmp_path)
    changes = change_sets(tmp_path)["create"]
    after = overlay(index, changes)
    reach = EditReach(index, after, {c.path for c in changes.changes}, *importers_by_module(index))
    assert LazyGraph(index) == import_graph(index, runtime=True)
    assert reach.graph(LazyGraph(index)) == import_graph(after, runtime=True)


def test_tangles_read_from_the_reached_part_equal_the_whole_graphs(tmp_path: Path) -> None:
    files = {
        "a.py": "import b\n",
        "b.py": "import c\nimport d\n",
        "c.py": "import a\n",
        "d.py": "import e\n",
        "e.py": "import d\n",
        "f.py": "import a\n",
    }
    (tmp_path / "pyproject.toml").write_text("[tool.carve]\n")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    index = Project(load_config(tmp_path), use_cache=False).build()
    whole = [set(c) for c in strongly_connected(import_graph(index, runtime=True))]
    assert sorted(len(tangle) for tangle in whole) == [2, 3]
    verifier = Verifier(index, index.config)
    nodes = [(tmp_path / n).as_posix() for n in files]
    for size in (1, 2, 3):
        for group in itertools.combinations(nodes, size):
            expected = any(set(group) <= tangle for tangle in whole)
            assert verifier._before().in_one_tangle(set(group)) == expected, group
