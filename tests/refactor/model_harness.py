"""Checks for moves in the real-model fixture projects (model_projects.py): every module
imports on its own, from a fresh interpreter; no top-level name is defined twice."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

from move_harness import (
    SKIPPED_DIRS,
    apply,
    assert_all_parse,
    definition_text,
    module_path,
    plan,
    problems,
    run_python,
)

from carve.core.changeset import ChangeSet

# Forks one child per module from an interpreter that has only the third-party
# libraries loaded, so each project module is imported alone from a clean sys.modules.
IMPORT_EACH = """
    import importlib, os, sys, traceback
    for library in {preload}:
        importlib.import_module(library)
    failures = []
    for name in {modules}:
        pid = os.fork()
        if pid == 0:
            try:
                {setup}
                importlib.import_module(name)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        if status:
            failures.append(name)
    print(failures)
"""


def project_modules(root: Path) -> list[str]:
    """Every module of the project's packages, by dotted name."""
    names = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_DIRS.intersection(relative.parts) or len(relative.parts) < 2:
            continue
        parts = relative.with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def import_each(root: Path, preload: list[str], setup: str = "pass") -> list[str]:
    """The modules that fail to import alone (each in a forked, pristine interpreter)."""
    script = IMPORT_EACH.format(
        preload=preload, modules=project_modules(root), setup=setup.replace("\n", "\n" + " " * 16)
    )
    return ast.literal_eval(run_python(root, script).strip().splitlines()[-1])


def run_json(root: Path, script: str) -> dict[str, object]:
    return json.loads(run_python(root, script))


def definitions(root: Path) -> dict[str, list[str]]:
    """Top-level name -> the files defining it (classes, functions, assignments)."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_DIRS.intersection(relative.parts):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            for name in _defined(node):
                found.setdefault(name, []).append(relative.as_posix())
    return found


def new_duplicates(before: dict[str, list[str]], root: Path) -> dict[str, list[str]]:
    """Names now defined in more modules than `before` (a statement copied, not moved)."""
    after = definitions(root)
    return {name: files for name, files in after.items() if len(files) > len(before.get(name, []))}


def _defined(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def defined_in(root: Path, relative: str) -> set[str]:
    return {n for node in ast.parse((root / relative).read_text()).body for n in _defined(node)}


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line of `text` containing `fragment`."""
    for number, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not found")


@dataclass
class ExtractionCase:
    """A move out of a model module that must extract `shared` to `shared_path`, judged
    by the project's own dump script (schema, registry, behaviour) before and after."""

    source: str
    names: tuple[str, ...]
    destination: str
    dump: str
    shared_path: str
    shared: set[str]
    title_names: set[str]
    preload: list[str] = field(default_factory=list)
    setup: str = "pass"

    def verify(self, root: Path, importers: str) -> ChangeSet:
        original = module_path(root, self.source).read_text(encoding="utf-8")
        broken_before, defined_before = problems(root), definitions(root)
        changes = plan(root, self.source, self.names, self.destination, importers)
        before = run_json(root, self.dump)
        apply(root, changes)

        assert Path(self.shared_path).name in changes.title, changes.title
        extracted = changes.notes[0]  # the title names the first few, the note all
        assert all(f"`{name}`" in extracted for name in self.title_names), extracted
        assert_all_parse(root)
        moved = module_path(root, self.destination).read_text(encoding="utf-8")
        for name in self.names:
            assert definition_text(original, name) in moved
        assert defined_in(root, self.shared_path) >= self.shared
        assert not new_duplicates(defined_before, root)
        assert problems(root) <= broken_before
        assert run_json(root, self.dump) == before
        assert import_each(root, self.preload, self.setup) == []
        again = plan(root, self.source, self.names, self.destination, importers)
        assert again.is_empty(), again.unified_diff(root)
        return changes
