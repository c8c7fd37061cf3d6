"""Moving symbols in fixture projects written by the tests, and checking the result
against the correctness bar: parses, byte-identical code, no new broken imports or
cycles, same behaviour when run, reversible, idempotent."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from carve.core.changeset import ChangeSet
from carve.core.check import CheckOptions, run_checks
from carve.core.config import load_config
from carve.core.index import WorkspaceIndex
from carve.core.project import Project
from carve.core.refactor.edits.apply import write_change_set
from carve.core.refactor.move.planner import MoveSymbol
from carve.core.refactor.request import ImporterMode, MoveRequest


def make_project(tmp_path: Path, files: dict[str, str], config: str = "") -> Path:
    """Write dedented `files` under `tmp_path` with a `[tool.carve]` pyproject.toml."""
    pyproject = "[tool.carve]\n" + textwrap.dedent(config).strip() + "\n"
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for relative, content in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return tmp_path


def build_index(root: Path) -> WorkspaceIndex:
    return Project(load_config(root), use_cache=False).build()


class CarveRunner(Protocol):
    """The root conftest's `carve` fixture: runs the CLI in-process."""

    def __call__(self, *args: str, cwd: Path | None = None) -> Any: ...


BREAKING = frozenset({"broken-reexport", "unresolved-import", "import-cycle"})
SKIPPED_DIRS = {".carve_cache", "__pycache__"}


def plan(
    root: Path,
    source: str,
    names: tuple[str, ...],
    destination: str | None = None,
    importers: str | None = None,
) -> ChangeSet:
    index = Project(load_config(root), use_cache=False).build()
    mode = ImporterMode(importers) if importers else None
    return MoveSymbol(index, MoveRequest(source, names, destination, mode)).plan()


def apply(root: Path, changes: ChangeSet) -> None:
    write_change_set(changes, root / ".carve_cache")


def snapshot(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not SKIPPED_DIRS.intersection(path.relative_to(root).parts):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def problems(root: Path) -> set[tuple[str, str]]:
    config = load_config(root)
    index = Project(config, use_cache=False).build()
    findings = run_checks(index, config, CheckOptions(select=BREAKING)).findings
    return {(f.rule, f.symbol) for f in findings}


def assert_all_parse(root: Path) -> None:
    for path in root.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), str(path))


def run_python(root: Path, script: str, pythonpath: str = "") -> str:
    env = {**os.environ, "PYTHONPATH": str(root / pythonpath), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def definition_text(text: str, name: str) -> str:
    """A top-level definition's source lines, decorators included."""
    for node in ast.parse(text).body:
        if getattr(node, "name", None) == name or name in _assigned(node):
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            lines = text.splitlines(keepends=True)
            return "".join(lines[first - 1 : node.end_lineno])
    raise AssertionError(f"{name} not defined")


def _assigned(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    return set()


def module_path(root: Path, module: str, src: str = "") -> Path:
    base = root / src if src else root
    path = base / (module.replace(".", "/") + ".py")
    return path if path.exists() else base / module.replace(".", "/") / "__init__.py"


@dataclass
class MoveCase:
    """One fixture project and one move to put through the whole correctness bar."""

    files: dict[str, str]
    source: str
    names: tuple[str, ...]
    destination: str
    script: str  # imports everything, calls something, prints results
    importers: str | None = None
    src: str = ""  # import root relative to the project ("src" for a src/ layout)
    round_trip: bool = True
    config: str = ""

    def verify(self, tmp_path: Path) -> ChangeSet:
        root = make_project(tmp_path, self.files, self.config)
        before, broken_before = snapshot(root), problems(root)
        behaviour = run_python(root, self.script, self.src)
        source_text = module_path(root, self.source, self.src).read_text(encoding="utf-8")
        changes = plan(root, self.source, self.names, self.destination, self.importers)
        apply(root, changes)
        assert_all_parse(root)
        moved_to = module_path(root, self.destination, self.src).read_text(encoding="utf-8")
        for name in self.names:
            assert definition_text(source_text, name) in moved_to
        assert problems(root) <= broken_before
        assert run_python(root, self.script, self.src) == behaviour
        again = plan(root, self.source, self.names, self.destination, self.importers)
        assert again.is_empty(), again.unified_diff(root)
        if self.round_trip:
            back = plan(root, self.destination, self.names, self.source, self.importers)
            apply(root, back)
            assert snapshot(root) == before, _diff(before, snapshot(root))
        return changes


def _diff(before: dict[str, bytes], after: dict[str, bytes]) -> str:
    import difflib

    out = []
    for name in sorted(set(before) | set(after)):
        old = before.get(name, b"").decode(errors="replace").splitlines(keepends=True)
        new = after.get(name, b"").decode(errors="replace").splitlines(keepends=True)
        if old != new:
            out.extend(difflib.unified_diff(old, new, f"before/{name}", f"after/{name}"))
    return "".join(out)
