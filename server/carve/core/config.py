"""`[tool.carve]` (pyproject.toml) or carve.toml: load, validate, and answer per-package policy."""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carve.core.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CONFIG_FILES = ("carve.toml", "pyproject.toml")
DEFAULT_COMPONENTS = (
    "models",
    "views",
    "services",
    "service",
    "forms",
    "schemas",
    "serializers",
    "tasks",
    "admin",
    "api",
    "selectors",
    "signals",
)

DEFAULT_TEST_MODULES = ("tests", "test", "test_*", "*_test", "testing")


class ImportPolicy(str, enum.Enum):
    VIA_HUB = "via-hub"
    DIRECT = "direct"


class ConfigError(Exception):
    """An invalid configuration: names the file and the key."""

    def __init__(self, path: Path, key: str, message: str) -> None:
        super().__init__(f"{path}: [tool.carve] {key}: {message}")
        self.path = path
        self.key = key


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path | None = None  # the file the settings came from
    roots: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    skip_migrations: bool = True
    max_lines: int = 500
    max_classes: int = 12
    hubs: tuple[str, ...] = ()
    components: tuple[str, ...] = DEFAULT_COMPONENTS
    import_policy: ImportPolicy = ImportPolicy.VIA_HUB
    package_policies: dict[str, ImportPolicy] = field(default_factory=dict)
    severities: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Dotted-name parts or directories (fnmatch) that make a module a test module.
    test_modules: tuple[str, ...] = DEFAULT_TEST_MODULES

    def policy_for(self, module: str) -> ImportPolicy:
        """The policy of the longest configured package prefix of `module`."""
        best, best_len = self.import_policy, -1
        for package, policy in self.package_policies.items():
            if (module == package or module.startswith(package + ".")) and len(package) > best_len:
                best, best_len = policy, len(package)
        return best


def find_project_root(start: Path) -> tuple[Path, Path | None]:
    """The nearest directory at or above `start` holding carve.toml or a pyproject.toml
    with a [tool.carve] table (else any pyproject.toml); falls back to `start`."""
    start = start if start.is_dir() else start.parent
    first_pyproject: Path | None = None
    for directory in (start, *start.parents):
        carve_toml = directory / "carve.toml"
        if carve_toml.is_file():
            return directory, carve_toml
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            if _has_carve_table(pyproject):
                return directory, pyproject
            first_pyproject = first_pyproject or pyproject
    if first_pyproject is not None:
        return first_pyproject.parent, first_pyproject
    return start, None


def _has_carve_table(pyproject: Path) -> bool:
    try:
        return "[tool.carve" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def load_config(start: Path) -> Config:
    root, source = find_project_root(start.resolve())
    if source is None:
        return Config(root=root)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, "(file)", f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, "(file)", f"invalid TOML: {exc}") from None
    table = data if source.name == "carve.toml" else data.get("tool", {}).get("carve", {})
    return parse_config(table, root, source)


def parse_config(table: dict[str, Any], root: Path, source: Path) -> Config:
    reader = _Reader(table, source)
    config = Config(
        root=root,
        source=source,
        roots=reader.strings("roots"),
        exclude=reader.patterns("exclude"),
        skip_migrations=reader.boolean("skip-migrations", True),
        max_lines=reader.positive_int("max-lines", 500),
        max_classes=reader.positive_int("max-classes", 12),
        hubs=reader.strings("hubs"),
        components=reader.strings("components") or DEFAULT_COMPONENTS,
        import_policy=reader.policy("import-policy", table.get("import-policy"), "via-hub"),
        package_policies=reader.packages(),
        severities=reader.severities(),
        per_file_ignores=reader.per_file_ignores(),
        test_modules=reader.strings("test-modules") or DEFAULT_TEST_MODULES,
    )
    reader.reject_unknown()
    return config


_KNOWN_KEYS = {
    "roots",
    "exclude",
    "skip-migrations",
    "max-lines",
    "max-classes",
    "hubs",
    "components",
    "import-policy",
    "packages",
    "severity",
    "per-file-ignores",
    "test-modules",
}


class _Reader:
    def __init__(self, table: dict[str, Any], source: Path) -> None:
        self.table = table
        self.source = source

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.source, key, message)

    def reject_unknown(self) -> None:
        for key in self.table:
            if key not in _KNOWN_KEYS:
                raise self.fail(key, f"unknown key (known: {', '.join(sorted(_KNOWN_KEYS))})")

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of strings")
        return tuple(value)

    def patterns(self, key: str) -> tuple[str, ...]:
        """Gitignore-style patterns, compiled once here so that a bad one is a
        configuration error naming the key, not a crash in the middle of discovery."""
        patterns = self.strings(key)
        if not patterns:
            return patterns
        import pathspec  # only for a project that has patterns

        for pattern in patterns:
            try:
                pathspec.GitIgnoreSpec.from_lines([pattern])
            except Exception as exc:  # pathspec raises several types for bad patterns
                hint = " (a lone '!' negates nothing)" if pattern.strip() == "!" else ""
                message = f"{pattern!r} is not a valid gitignore-style pattern{hint}"
                raise self.fail(key, message) from exc
        return patterns

    def boolean(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    def positive_int(self, key: str, default: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(key, f"expected a positive integer, got {value!r}")
        return value

    def policy(self, key: str, value: object, default: str) -> ImportPolicy:
        value = default if value is None else value
        try:
            return ImportPolicy(value)
        except ValueError:
            raise self.fail(key, f"expected 'via-hub' or 'direct', got {value!r}") from None

    def packages(self) -> dict[str, ImportPolicy]:
        packages = self.table.get("packages", {})
        if not isinstance(packages, dict):
            raise self.fail("packages", "expected a table of package names")
        policies: dict[str, ImportPolicy] = {}
        for name, settings in packages.items():
            key = f'packages."{name}"'
            if not isinstance(settings, dict):
                raise self.fail(key, "expected a table")
            for setting in settings:
                if setting != "import-policy":
                    raise self.fail(f"{key}.{setting}", "unknown key (known: import-policy)")
            if "import-policy" in settings:
                policies[name] = self.policy(
                    f"{key}.import-policy", settings["import-policy"], "via-hub"
                )
        return policies

    def severities(self) -> dict[str, Severity]:
        from carve.core.rules.registry import RULES  # late: the registry imports config

        table = self.table.get("severity", {})
        if not isinstance(table, dict):
            raise self.fail("severity", "expected a table of rule = severity")
        result: dict[str, Severity] = {}
        for rule, value in table.items():
            if rule not in RULES:
                raise self.fail(f"severity.{rule}", "unknown rule")
            try:
                result[rule] = Severity(value)
            except ValueError:
                raise self.fail(
                    f"severity.{rule}", "expected 'error', 'warning', 'info' or 'off'"
                ) from None
        return result

    def per_file_ignores(self) -> dict[str, tuple[str, ...]]:
        from carve.core.rules.registry import RULES

        table = self.table.get("per-file-ignores", {})
        if not isinstance(table, dict):
            raise self.fail("per-file-ignores", "expected a table of glob = [rules]")
        result: dict[str, tuple[str, ...]] = {}
        for pattern, rules in table.items():
            key = f'per-file-ignores."{pattern}"'
            if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
                raise self.fail(key, "expected a list of rule names")
            for rule in rules:
                if rule not in RULES and rule != "all":
                    raise self.fail(key, f"unknown rule {rule!r}")
            result[pattern] = tuple(rules)
        return result
