"""The editor's hot path: after each edit the index is updated file by file and the rules
re-run for the edited file only, reusing what the edit cannot change (the import graph's
tangles, hub tables). Whatever the edits, the findings must equal a check from scratch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carve.core.check import CheckOptions, run_checks
from carve.core.config import load_config
from carve.core.findings import Finding
from carve.core.index import WorkspaceIndex
from carve.core.project import Project

# A hub over two feature files, a three-module import cycle, a bypassing importer.
FILES = {
    "app/__init__.py": "",
    "app/models.py": (
        "from app.a_models import A as A\nfrom app.b_models import B as B\n\n__all__ = ['A', 'B']\n"
    ),
    "app/a_models.py": "class A:\n    pass\n\n\nclass A2:\n    pass\n",
    "app/b_models.py": "from app.a_models import A\n\n\nclass B(A):\n    pass\n",
    "svc/__init__.py": "",
    "svc/x.py": "from svc import y\nfrom app.a_models import A\n\nX = A\n",
    "svc/y.py": "from svc import z\n\nY = 1\n",
    "svc/z.py": "from svc.x import X\n\nZ = X\n",
    "svc/w.py": "import svc.x\n\nW = svc.x.X\n",
}
MODULES = sorted(FILES)
NAMES = {"app.models": "A", "app.a_models": "A2", "svc.x": "X", "svc.y": "Y", "svc.z": "Z"}

# (kind, target module): what an edit does to the file it picks.
EDIT = st.tuples(
    st.sampled_from(["shift", "define", "import", "star", "widen", "drop-import", "syntax-error"]),
    st.sampled_from(sorted(NAMES)),
)


def write_project(root: Path) -> None:
    (root / "carve.toml").write_text("", encoding="utf-8")
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def edited_text(text: str, kind: str, target: str, step: int) -> str:
    if kind == "shift":  # positions move, nothing else does
        return "# a comment\n" * (step % 3 + 1) + text
    if kind == "define":
        return text + f"\n\nclass New{step}:\n    pass\n"
    if kind == "import":
        return f"from {target} import {NAMES[target]}\n" + text
    if kind == "star":
        return f"from {target} import *\n" + text
    if kind == "widen":  # the first from-import reads its first name twice: a heavier cut
        pattern = r"^(from \S+ import )(\w+)(.*)$"
        return re.sub(pattern, rf"\1\2\3, \2 as _n{step}", text, count=1, flags=re.M)
    if kind == "drop-import":
        lines = text.splitlines(keepends=True)
        found = [i for i, line in enumerate(lines) if line.startswith(("from ", "import "))]
        return "".join(line for i, line in enumerate(lines) if not found or i != found[0])
    return text + "def broken(:\n"


def rows(findings: list[Finding], root: Path) -> list[tuple[object, ...]]:
    found = [
        (f.rule, f.path.relative_to(root).as_posix(), f.span, f.message, f.symbol) for f in findings
    ]
    return sorted(found, key=repr)


def from_scratch(root: Path, only: set[Path] | None = None) -> list[tuple[object, ...]]:
    config = load_config(root)
    index = Project(config, use_cache=False, jobs=1).build()
    findings = run_checks(index, config, CheckOptions()).findings
    return rows([f for f in findings if only is None or f.path in only], root)


def check(index: WorkspaceIndex, root: Path, only: set[Path] | None = None) -> list[object]:
    config = load_config(root)
    return list(rows(run_checks(index, config, CheckOptions(only=only)).findings, root))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    edits=st.lists(st.tuples(st.sampled_from(MODULES), EDIT, st.booleans()), min_size=1, max_size=6)
)
def test_per_file_updates_equal_a_check_from_scratch(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, tuple[str, str], bool]]
) -> None:
    root = tmp_path_factory.mktemp("project")
    write_project(root)
    project = Project(load_config(root), use_cache=False, jobs=1)
    index = project.build()
    assert check(index, root) == from_scratch(root)  # fills the facts later edits reuse
    for step, (relative, (kind, target), check_now) in enumerate(edits):
        path = root / relative
        text = edited_text(path.read_text(encoding="utf-8"), kind, target, step)
        path.write_text(text, encoding="utf-8")
        index = project.update_many({path: text})
        if check_now:  # the editor's round: the edited file only
            assert check(index, root, {path}) == from_scratch(root, {path})
    assert check(index, root) == from_scratch(root)


def test_an_edit_above_a_cycle_moves_its_finding(tmp_path: Path) -> None:
    """Reused tangles still report the edited file's own, shifted import statement."""
    write_project(tmp_path)
    project = Project(load_config(tmp_path), use_cache=False, jobs=1)
    before = check(project.build(), tmp_path)
    cycles = [row for row in before if row[0] == "import-cycle"]
    assert len(cycles) == 1
    cut_file = tmp_path / str(cycles[0][1])
    text = "# one\n# two\n" + cut_file.read_text(encoding="utf-8")
    cut_file.write_text(text, encoding="utf-8")
    after = check(project.update_many({cut_file: text}), tmp_path, {cut_file})
    moved = [row for row in after if row[0] == "import-cycle"]
    assert moved == [r for r in from_scratch(tmp_path, {cut_file}) if r[0] == "import-cycle"]
    assert moved[0][2].line == cycles[0][2].line + 2  # type: ignore[attr-defined]


def test_a_heavier_import_moves_the_cut(tmp_path: Path) -> None:
    """The same edges with more names on the cut: the reused tangle is judged again."""
    write_project(tmp_path)
    project = Project(load_config(tmp_path), use_cache=False, jobs=1)
    (before,) = [row for row in check(project.build(), tmp_path) if row[0] == "import-cycle"]
    cut_file = tmp_path / str(before[1])
    text = edited_text(cut_file.read_text(encoding="utf-8"), "widen", "", 0)
    cut_file.write_text(text, encoding="utf-8")
    after = check(project.update_many({cut_file: text}), tmp_path)
    assert after == from_scratch(tmp_path)
    (moved,) = [row for row in after if row[0] == "import-cycle"]
    assert moved[1] != before[1]
