"""Editor settings (`initializationOptions`, `workspace/didChangeConfiguration`,
`workspace/configuration` section "carve"), typed and validated.

Rule settings the project's `[tool.carve]` / carve.toml sets win over the editor's;
`logLevel`, `diagnosticsOnChange` and `diagnosticsDelay` are the editor's alone.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from carve.core.config import Config, ImportPolicy
from carve.core.findings import Severity
from carve.core.rules.registry import RULES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

LOG_LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}


@dataclass(frozen=True)
class Settings:
    log_level: str = "info"
    diagnostics_on_change: bool = True
    diagnostics_delay: int = 25  # ms to wait for more keystrokes before checking
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    max_lines: int | None = None
    max_classes: int | None = None
    import_policy: ImportPolicy | None = None
    extract_shared: bool = True  # moves extract what both sides need (else refuse)

    @property
    def logging_level(self) -> int:
        return LOG_LEVELS[self.log_level]

    def to_json(self) -> dict[str, Any]:
        return {
            "logLevel": self.log_level,
            "diagnosticsOnChange": self.diagnostics_on_change,
            "diagnosticsDelay": self.diagnostics_delay,
            "select": sorted(self.select),
            "ignore": sorted(self.ignore),
            "severity": {k: v.value for k, v in self.severity.items()},
            "maxLines": self.max_lines,
            "maxClasses": self.max_classes,
            "importPolicy": self.import_policy.value if self.import_policy else None,
            "move": {"extractShared": self.extract_shared},
        }


def unwrap(raw: object) -> Mapping[str, Any]:
    """Accept `{...}`, `{"carve": {...}}` and `{"settings": {...}}` alike."""
    if not isinstance(raw, Mapping):
        return {}
    for key in ("carve", "settings"):
        inner = raw.get(key)
        if isinstance(inner, Mapping):
            return inner
    return raw


def parse_settings(raw: object) -> tuple[Settings, list[str]]:
    """Settings from editor JSON; invalid values are dropped and reported."""
    data = unwrap(raw)
    problems: list[str] = []
    values: dict[str, Any] = {}
    level = data.get("logLevel")
    if level is not None:
        if isinstance(level, str) and level.lower() in LOG_LEVELS:
            values["log_level"] = level.lower()
        else:
            problems.append(f"logLevel: expected one of {', '.join(LOG_LEVELS)}")
    _boolean(data, "diagnosticsOnChange", "diagnostics_on_change", values, problems)
    _integer(data, "diagnosticsDelay", "diagnostics_delay", values, problems, minimum=0)
    _integer(data, "maxLines", "max_lines", values, problems, minimum=1)
    _integer(data, "maxClasses", "max_classes", values, problems, minimum=1)
    for key in ("select", "ignore"):
        rules = _rules(data.get(key), key, problems)
        if rules is not None:
            values[key] = rules
    values.update(_severities(data.get("severity"), problems))
    move = data.get("move")
    move = move if isinstance(move, Mapping) else {"extractShared": data.get("move.extractShared")}
    _boolean(move, "extractShared", "extract_shared", values, problems)
    policy = data.get("importPolicy")
    if policy is not None:
        try:
            values["import_policy"] = ImportPolicy(policy)
        except ValueError:
            problems.append("importPolicy: expected 'via-hub' or 'direct'")
    return Settings(**values), problems


def _boolean(
    data: Mapping[str, Any], key: str, name: str, out: dict[str, Any], problems: list[str]
) -> None:
    value = data.get(key)
    if value is None:
        return
    if isinstance(value, bool):
        out[name] = value
    else:
        problems.append(f"{key}: expected true or false")


def _integer(
    data: Mapping[str, Any],
    key: str,
    name: str,
    out: dict[str, Any],
    problems: list[str],
    minimum: int,
) -> None:
    value = data.get(key)
    if value is None:
        return
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        out[name] = value
    else:
        problems.append(f"{key}: expected an integer >= {minimum}")


def _rules(value: object, key: str, problems: list[str]) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{key}: expected a list of rule names")
        return None
    unknown = sorted(set(value) - set(RULES))
    if unknown:
        problems.append(f"{key}: unknown rule(s) {', '.join(unknown)}")
    return frozenset(v for v in value if v in RULES)


def _severities(value: object, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append("severity: expected an object of rule: level")
        return {}
    result: dict[str, Severity] = {}
    for rule, level in value.items():
        try:
            if rule not in RULES:
                raise ValueError
            result[rule] = Severity(level)
        except ValueError:
            problems.append(f"severity.{rule}: unknown rule or level")
    return {"severity": result}


# -- precedence ----------------------------------------------------------------------------
_CONFIG_KEYS = {
    "max_lines": "max-lines",
    "max_classes": "max-classes",
    "import_policy": "import-policy",
}


def project_keys(config: Config) -> set[str]:
    """The keys the project's own configuration table sets."""
    if config.source is None:
        return set()
    try:
        data = tomllib.loads(config.source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    table = data if config.source.name == "carve.toml" else data.get("tool", {}).get("carve", {})
    return set(table) if isinstance(table, dict) else set()


def effective_config(config: Config, settings: Settings) -> Config:
    """`config` with the editor's rule settings filled in where the project is silent."""
    keys = project_keys(config)
    changes: dict[str, Any] = {}
    for name, key in _CONFIG_KEYS.items():
        value = getattr(settings, name)
        if value is not None and key not in keys:
            changes[name] = value
    if settings.severity:
        changes["severities"] = {**settings.severity, **config.severities}
    return dataclasses.replace(config, **changes) if changes else config
