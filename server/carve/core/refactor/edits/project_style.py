"""The project's own formatting rules for the imports a move writes: line length and the
isort settings that change what a clean import block looks like, read from
pyproject.toml (`[tool.ruff]`, `[tool.ruff.lint.isort]`, `[tool.isort]`, `[tool.black]`)
or ruff.toml, plus the oldest Python the project supports (for PEP 649).

Defaults are ruff's: line length 88, `as` imports one per statement, sections in
isort's order.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

DEFAULT_LINE_LENGTH = 88
_REQUIRES = re.compile(r">=\s*3\.(\d+)")
_TARGET = re.compile(r"py3(\d+)")


@dataclass(frozen=True)
class ProjectStyle:
    line_length: int = DEFAULT_LINE_LENGTH
    combine_as: bool = False  # `from x import A as A, B as B` on one statement
    force_single_line: bool = False  # one name per `from` statement
    force_sort_within_sections: bool = False  # `import x` and `from x` interleaved
    known_first_party: frozenset[str] = field(default_factory=frozenset)
    known_third_party: frozenset[str] = field(default_factory=frozenset)
    known_local_folder: frozenset[str] = field(default_factory=frozenset)
    oldest_python: int = 0  # minor version of 3.x the project supports at the least

    @property
    def lazy_annotations(self) -> bool:
        """PEP 649 (Python 3.14): no annotation is evaluated when it is defined."""
        return self.oldest_python >= 14


def load_project_style(root: Path) -> ProjectStyle:
    """The style the project configures at `root` (defaults where it says nothing)."""
    pyproject = _read_toml(root / "pyproject.toml")
    tool = _table(pyproject, "tool")
    ruff = _table(tool, "ruff") or _read_toml(root / "ruff.toml") or _read_toml(root / ".ruff.toml")
    isort = _table(_table(ruff, "lint"), "isort") or _table(ruff, "isort")
    legacy = _table(tool, "isort")  # isort's own: snake_case keys

    def setting(key: str) -> Any:
        if key in isort:
            return isort[key]
        return legacy.get(key.replace("-", "_"))

    line_length = (
        ruff.get("line-length")
        or _table(tool, "black").get("line-length")
        or legacy.get("line_length")
        or DEFAULT_LINE_LENGTH
    )
    return ProjectStyle(
        line_length=line_length if isinstance(line_length, int) else DEFAULT_LINE_LENGTH,
        combine_as=setting("combine-as-imports") is True,
        force_single_line=setting("force-single-line") is True,
        force_sort_within_sections=setting("force-sort-within-sections") is True,
        known_first_party=_names(setting("known-first-party")),
        known_third_party=_names(setting("known-third-party")),
        known_local_folder=_names(setting("known-local-folder")),
        oldest_python=_oldest_python(_table(pyproject, "project"), ruff),
    )


def _oldest_python(project: dict[str, Any], ruff: dict[str, Any]) -> int:
    requires = project.get("requires-python")
    match = _REQUIRES.search(requires) if isinstance(requires, str) else None
    if match is None:
        target = ruff.get("target-version")
        match = _TARGET.fullmatch(target) if isinstance(target, str) else None
    return int(match.group(1)) if match else 0


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _names(value: object) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(v for v in value if isinstance(v, str))
