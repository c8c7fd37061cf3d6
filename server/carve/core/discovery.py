"""Finding the workspace's Python files and the import roots they live under."""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carve.core.config import Config
from carve.core.source_layout import declared_source_dirs

if TYPE_CHECKING:
    from pathspec import PathSpec

ALWAYS_SKIPPED = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "build",
        "dist",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".carve_cache",
        ".eggs",
        "site-packages",
    }
)
_name = operator.attrgetter("name")
_MIGRATION_FILE = re.compile(r"^\d{4}_\w*\.py$")
_ROOT_MARKERS = ("manage.py", "pyproject.toml", "setup.py", "setup.cfg")


def _parts_order(path: str) -> str:
    """A key that sorts paths as Paths sort (part by part: `a/b/c.py` before `a/b.py`):
    NUL, below every character a part may hold, in place of the separator."""
    return path.replace("/", "\0")


def _django_migrations(path: str) -> bool:
    """Numbered files (`0001_initial.py`) mark Django's generated migrations; a package
    merely named `migrations` (django.db.migrations itself) is code and stays."""
    try:
        return any(_MIGRATION_FILE.match(entry.name) for entry in os.scandir(path))
    except OSError:
        return False


# A child Path without parsing the parent's parts again: CPython's own (its glob uses it;
# 2-3x cheaper than `/`), or `/` on a Python without it. Either equals `Path(text)`.
_child: Callable[[Path, str], Path] = getattr(Path, "_make_child_relpath", Path.__truediv__)


class Directory:
    """A directory's path as text, and as a Path once one of its files needs it."""

    __slots__ = ("_path", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        path = self._path
        if path is None:
            path = self._path = Path(self.text)
        return path


class SourceFile:
    """A discovered module. `path` (absolute) is made from `text` on first use: a run
    the result cache answers reads 10k files' stat stamps and never builds their Paths
    (and a run that does joins each name to its directory's one Path: 2-3x cheaper)."""

    __slots__ = ("_directory", "_path", "is_package", "module", "root", "text")

    def __init__(
        self,
        path: Path | str,
        root: Path,
        module: str,
        is_package: bool,
        directory: Directory | None = None,  # the directory `path` (text) is directly in
    ) -> None:
        if isinstance(path, str):
            self.text, self._path = path, None
        else:
            self.text, self._path = str(path), path
        self.root = root  # the import root it belongs to
        self.module = module  # dotted module name ("pkg" for pkg/__init__.py)
        self.is_package = is_package
        self._directory = directory

    @property
    def path(self) -> Path:
        path = self._path
        if path is None:
            directory = self._directory
            if directory is None:
                path = Path(self.text)
            else:
                path = _child(directory.path, self.text[len(directory.text) + 1 :])
            self._path = path
        return path

    def _key(self) -> tuple[str, Path, str, bool]:
        return (self.text, self.root, self.module, self.is_package)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceFile) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"SourceFile(path={self.path!r}, root={self.root!r}, module={self.module!r}, "
            f"is_package={self.is_package!r})"
        )


class Discovery:
    """Walks the project once: skips what the user's tools skip, names every module."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.project = config.root
        self._exclude = _spec(config.exclude) if config.exclude else None
        self._marked: set[Path] = set()
        self.roots: list[
            Path
        ] = []  # set by source_files()  # directories holding manage.py, pyproject.toml…
        self.errors: list[tuple[Path, str]] = []

    # -- roots --------------------------------------------------------------------
    def import_roots(self) -> list[Path]:
        """Import roots, deepest first; auto-detected ones come from what the walk saw."""
        if self.config.roots:
            return [(self.project / r).resolve() for r in self.config.roots]
        roots = {self.project, *declared_source_dirs(self.project)}
        for candidate in {self.project / "src", *self._marked}:
            if candidate == self.project or self.project not in candidate.parents:
                continue
            roots.add(candidate)
            roots.update(declared_source_dirs(candidate))
            if (candidate / "src").is_dir():
                roots.add(candidate / "src")
        if (self.project / "src").is_dir():
            roots.add(self.project / "src")
        return sorted(roots, key=lambda p: len(p.parts), reverse=True)

    def source_files(self, paths: list[Path] | None = None) -> list[SourceFile]:
        # In walk order (sorted already, but for a second start), without duplicates.
        found = dict.fromkeys(self._python_files(paths or [self.project]))
        # Sorted as Paths sort (by parts), without building and comparing 10k Paths.
        files = sorted(found, key=_parts_order) if os.sep == "/" else sorted(found, key=Path)
        self.roots = self.import_roots()
        return _describe(files, self.roots)

    def describe(self, path: Path, roots: list[Path]) -> SourceFile | None:
        described = _describe([str(path)], roots)
        if not described:
            return None
        found = described[0]
        return SourceFile(path, found.root, found.module, found.is_package)

    # -- walking ------------------------------------------------------------------
    def python_files(self, starts: list[Path]) -> Iterator[Path]:
        return (Path(path) for path in self._python_files(starts))

    def _python_files(self, starts: list[Path]) -> Iterator[str]:
        visited: set[tuple[int, int]] = set()
        for start in starts:
            start = start.absolute()
            if start.is_file():
                if start.suffix in (".py", ".pyi"):
                    yield str(start)
            elif start.is_dir():
                specs = self._inherited_gitignores(start)
                in_package = self._inside_package(start)
                yield from self._walk(str(start), specs, visited, in_package)
            else:
                self.errors.append((start, "no such file or directory"))

    def _walk(
        self,
        directory: str,
        specs: list[_Ignore],
        visited: set[tuple[int, int]],
        in_package: bool = False,
    ) -> Iterator[str]:
        """`in_package`: some directory above this one (below the project) is a package."""
        try:
            stat = os.stat(directory)
            key = (stat.st_dev, stat.st_ino)
            if key in visited:  # symlink loop or a directory linked twice
                return
            visited.add(key)
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=_name)
        except OSError as exc:
            self.errors.append((Path(directory), exc.strerror or str(exc)))
            return
        names = {e.name for e in entries}
        if "pyvenv.cfg" in names:  # a virtualenv under any name
            return
        is_package = "__init__.py" in names
        if names.intersection(_ROOT_MARKERS) and not (in_package or is_package):
            # Only a directory Python could have on sys.path is a root: `wagtail/test/manage.py`
            # or a test fixture's pyproject.toml inside `tests/…` are named from outside.
            self._marked.add(Path(directory))
        in_package = in_package or is_package
        if ".gitignore" in names:
            spec = self._read_gitignore(os.path.join(directory, ".gitignore"))
            if spec is not None:
                specs = [*specs, (directory, spec)]
        filtered = bool(specs) or self._exclude is not None
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if is_dir:
                if name in ALWAYS_SKIPPED or name.endswith(".egg-info"):
                    continue
                if (
                    self.config.skip_migrations
                    and name == "migrations"
                    and _django_migrations(entry.path)
                ):
                    continue
                if filtered and self._excluded(entry.path, True, specs):
                    continue
                yield from self._walk(entry.path, specs, visited, in_package)
            elif (
                is_file
                and name.endswith(".py")
                and not (filtered and self._excluded(entry.path, False, specs))
            ):
                yield entry.path

    def _excluded(self, path: str, is_dir: bool, specs: list[_Ignore]) -> bool:
        suffix = "/" if is_dir else ""
        if self._exclude is not None:
            relative = os.path.relpath(path, self.project).replace(os.sep, "/")
            if self._exclude.match_file(relative + suffix):
                return True
        for directory, spec in specs:
            relative = path[len(directory) + 1 :].replace(os.sep, "/")
            if spec.match_file(relative + suffix):
                return True
        return False

    def _inherited_gitignores(self, start: Path) -> list[_Ignore]:
        """.gitignore files between the project root and a walk's starting directory."""
        specs: list[_Ignore] = []
        if start == self.project or self.project in start.parents:
            chain = [start.parent, *start.parent.parents] if start != self.project else []
            for directory in reversed(
                [d for d in chain if d == self.project or self.project in d.parents]
            ):
                spec = self._read_gitignore(str(directory / ".gitignore"))
                if spec is not None:
                    specs.append((str(directory), spec))
        return specs

    def _inside_package(self, start: Path) -> bool:
        """Whether a walk starting below the project starts inside a package."""
        chain = [start.parent, *start.parent.parents] if start != self.project else []
        return any((d / "__init__.py").is_file() for d in chain if self.project in d.parents)

    def _read_gitignore(self, path: str) -> PathSpec[Any] | None:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            return None
        try:
            return _spec(lines)
        except ValueError:  # git ignores a bad line (a lone `!`); so does carve, and says so
            return _spec(self._valid_lines(path, lines))

    def _valid_lines(self, path: str, lines: list[str]) -> list[str]:
        valid = []
        for number, line in enumerate(lines, 1):
            try:
                _spec([line])
            except ValueError as exc:
                self.errors.append((Path(path), f"line {number} skipped: {exc}"))
            else:
                valid.append(line)
        return valid


def _spec(lines: Iterable[str]) -> PathSpec[Any]:
    """pathspec is imported when a project has an exclude list or a .gitignore."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


_Ignore = tuple[str, "PathSpec[Any]"]
# Where a directory's modules live: (import root, dotted package) for its modules and for
# its `__init__` (the deepest root that gives the package a name), None: not importable.
_Place = tuple["tuple[Path, str] | None", "tuple[Path, str] | None"]


def _describe(files: list[str], roots: list[Path]) -> list[SourceFile]:
    """The module each file is, under the deepest import root (`roots` deepest first)
    that names it; files that are no module under any root are left out. Worked out
    once per directory, not per file."""
    sep = os.sep
    prefixes = [(root, str(root).rstrip(sep) + sep) for root in roots]
    places: dict[str, tuple[_Place, Directory | None]] = {}
    described = []
    for text in files:
        directory, _, name = text.rpartition(sep)
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix not in ("py", "pyi") or not stem.isidentifier():
            continue
        found = places.get(directory)
        if found is None:
            found = places[directory] = (_place(directory + sep, prefixes), Directory(directory))
        place, shared = found
        if sep not in directory:  # `/x.py`, `C:\\x.py`: a root is no directory to join to
            shared = None
        if stem == "__init__":
            where = place[1]
            if where is not None:
                described.append(SourceFile(text, where[0], where[1], True, shared))
        elif (where := place[0]) is not None:
            module = f"{where[1]}.{stem}" if where[1] else stem
            described.append(SourceFile(text, where[0], module, False, shared))
    return described


def _place(directory: str, prefixes: list[tuple[Path, str]]) -> _Place:
    """`directory` ends with the separator."""
    modules: tuple[Path, str] | None = None
    for root, prefix in prefixes:  # deepest first
        if not directory.startswith(prefix):
            continue
        relative = directory[len(prefix) : -1]
        parts = relative.split(os.sep) if relative else []
        if not all(map(str.isidentifier, parts)):
            continue
        if modules is None:
            modules = (root, ".".join(parts))
        if parts:  # a package needs a name: `root/__init__.py` is named by a shallower root
            return modules, (root, ".".join(parts))
    return modules, None
