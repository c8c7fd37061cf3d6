"""Source directories a project declares to setuptools (`where = ["lib"]`, `package-dir`).

`pip install` puts those directories' packages on sys.path, so SQLAlchemy's
`lib/sqlalchemy/orm.py` is `sqlalchemy.orm`, never `lib.sqlalchemy.orm`. Read statically
from pyproject.toml and setup.cfg; setup.py is code and is never run.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def declared_source_dirs(directory: Path) -> list[Path]:
    """Existing directories below `directory` its packaging metadata names as roots."""
    names = [*_from_pyproject(directory / "pyproject.toml"), *_from_setup_cfg(directory)]
    found = []
    for name in names:
        path = (directory / name).resolve()
        if path != directory and directory in path.parents and path.is_dir():
            found.append(path)
    return found


def _from_pyproject(path: Path) -> list[str]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return []
    setuptools = _table(_table(data.get("tool")).get("setuptools"))
    names = _strings(_table(_table(setuptools.get("packages")).get("find")).get("where"))
    root_dir = _table(setuptools.get("package-dir")).get("")
    if isinstance(root_dir, str):
        names.append(root_dir)
    return names


def _from_setup_cfg(directory: Path) -> list[str]:
    """`[options] package_dir = =lib` and `[options.packages.find] where = lib`."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(directory / "setup.cfg", encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return []
    names = []
    for line in parser.get("options", "package_dir", fallback="").splitlines():
        key, equals, value = line.partition("=")
        if equals and not key.strip() and value.strip():
            names.append(value.strip())
    where = parser.get("options.packages.find", "where", fallback="").strip()
    if where:
        names.append(where)
    return names


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
