"""What depends only on which modules exist, not on what they contain.

An editor's keystroke re-summarises one file and builds a new index; the set of modules
is the same, so the new index shares these tables with the one it replaces instead of
rebuilding them over every module of the workspace.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from carve.core.config import Config
from carve.core.hub_detection import aggregator

if TYPE_CHECKING:
    from carve.core.index import Module


class ModuleSet:
    def __init__(self, config: Config, modules: Iterable[Module]) -> None:
        self.config = config
        self.paths: list[tuple[Path, str, Path, bool]] = [
            (m.path, m.name, m.root, m.is_package) for m in modules
        ]
        # Per import root: its regular packages (directories with `__init__.py`).
        self.regular: dict[Path, set[str]] = {}
        for _, name, root, is_package in self.paths:
            if is_package:
                self.regular.setdefault(root, set()).add(name)
        roots = {root for _, _, root, _ in self.paths}
        self.private = {root for root in roots if self._fixture(root)}
        self.top_levels: set[str] = set()  # what every module sees
        self.private_tops: dict[Path, set[str]] = {}  # what a fixture root's modules see
        for _, name, root, _ in self.paths:
            top = name.partition(".")[0]
            if root in self.private:
                self.private_tops.setdefault(root, set()).add(top)
            else:
                self.top_levels.add(top)
        names = {name for _, name, _, _ in self.paths}
        self.packages = {
            name.rsplit(".", depth)[0] for name in names for depth in range(1, name.count(".") + 1)
        }
        self._children: dict[tuple[Path, str], list[Path]] | None = None
        self._aggregators: dict[str, list[Path]] | None = None

    def _fixture(self, root: Path) -> bool:
        """A root found below a test directory (`tests/fixtures/proj/` with its own
        pyproject.toml) is a sample project: nothing outside it has it on sys.path, so
        its top-level names (`build`, `extended`) never shadow a library elsewhere."""
        project = self.config.root
        if root == project or project not in root.parents:
            return False
        if any((project / r).resolve() == root for r in self.config.roots):
            return False
        above = root.relative_to(project).parts[:-1]
        patterns = (*self.config.test_modules, "fixtures")
        return any(fnmatch.fnmatchcase(p, pattern) for p in above for pattern in patterns)

    def children(self, root: Path, package: str) -> list[Path]:
        """Modules directly inside `package` ("" for top level) in one import root."""
        if self._children is None:
            table: dict[tuple[Path, str], list[Path]] = {}
            for path, name, module_root, _ in self.paths:
                table.setdefault((module_root, name.rpartition(".")[0]), []).append(path)
            self._children = table
        return self._children.get((root, package), [])

    def aggregators(self, package: str, modules: dict[Path, Module]) -> list[Module]:
        """Component aggregators (`models.py`, configured hubs) directly inside `package`,
        in every root: the modules besides package `__init__`s that may be hubs."""
        if self._aggregators is None:
            table: dict[str, list[Path]] = {}
            for path, _, _, is_package in self.paths:
                module = modules[path]
                if not is_package and aggregator(self.config, module):
                    table.setdefault(module.package, []).append(path)
            self._aggregators = table
        return [modules[path] for path in self._aggregators.get(package, ())]
