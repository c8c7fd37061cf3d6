"""The hub model: which modules are hubs, and which hub owns a definition.

A hub re-exports names defined in modules *inside its own package*: a package's
`__init__.py`, or a component aggregator such as `models.py` beside `invoice_models.py`.
A module re-exporting a name from another package (`django.forms` re-exporting
`django.core.exceptions.ValidationError`) is a convenience re-export, never that name's
hub. docs/rules.md states the semantics; every rule and fix asks `owns`.
"""

from __future__ import annotations

import fnmatch
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from carve.core.config import Config
from carve.core.summary import DefKind, ImportContext

if TYPE_CHECKING:
    from carve.core.index import Module, WorkspaceIndex

# A component hub re-exports at least this share of its feature files' public classes;
# below it the module merely names a few of them (`django.contrib.admin` is an app whose
# `__init__` exports `ModelAdmin`, not a hub of every class in its package).
COMPONENT_SHARE = 0.5


def detect_hub(index: WorkspaceIndex, module: Module) -> bool:
    """A hub re-exports names from modules inside its package. Explicit re-exports
    (`X as X`, `__all__`) count anywhere. A bare unused import or a star import counts
    in a package `__init__`, or in a component hub from its own feature files
    (`models.py` from `invoice_models.py`); elsewhere it is just an unused import
    (ruff F401): a `views.py` importing models is not their hub."""
    if index.config.hubs:
        return configured_hub(index.config, module)
    if not _may_reexport(module):
        return False  # cheap pre-check without building bindings: most modules use
        # every name they import
    declared = module.summary.dunder_all or ()
    for binding in index.reexports(module).values():
        source = binding.source
        if source == module.name or source == module.package:  # `from . import sub`
            source = f"{source}.{binding.original}"
        if not _aggregates(index, module, source):
            continue
        explicit = binding.imported.explicit_reexport or binding.imported.bound in declared
        if explicit or _implicit_hub_of(index, module, source):
            return True
    return any(
        _aggregates(index, module, s) and _implicit_hub_of(index, module, s)
        for s in index.star_sources(module)
    )


def configured_hub(config: Config, module: Module) -> bool:
    return any(fnmatch.fnmatchcase(module.name, p) for p in config.hubs)


def owns(index: WorkspaceIndex, hub: Module, defining: Module) -> bool:
    """Whether `hub` is a hub for definitions in `defining`: `defining` lies inside the
    hub's package (a package `__init__`, or a component aggregator such as `models.py`),
    and a test module never owns code outside the tests."""
    if defining is hub or not index.is_hub(hub):
        return False
    package = hub.package
    if package:
        if not defining.name.startswith(package + "."):
            return False
    elif "." in defining.name:
        return False  # a top-level aggregator owns only its top-level siblings
    if not hub.is_package and not aggregator(index.config, hub):
        return False
    return not is_test_module(index.config, hub) or is_test_module(index.config, defining)


def aggregator(config: Config, module: Module) -> bool:
    """A module (not a package) that may aggregate its siblings: a component module
    (`models.py`, `views.py`) or one named by the `hubs` patterns."""
    return module.basename in config.components or configured_hub(config, module)


def nearest_first(hub: Module, source: str, defining: Module) -> tuple[int, bool, bool, str]:
    """Sort key among the hubs owning `defining`: the innermost package first, then the
    hub importing straight from the feature file, then a component aggregator
    (`models.py`) before its package's `__init__`."""
    return (-len(hub.package), source != defining.name, hub.is_package, hub.name)


def is_test_module(config: Config, module: Module) -> bool:
    """Under a `tests`/`test` directory or named `test_*.py`/`*_test.py` (the
    `test-modules` patterns), judged on the module's dotted name and the directories
    between the project root and its import root."""
    patterns = config.test_modules
    return _test_root(config.root, module.root, patterns) or any(
        _test_part(part, patterns) for part in module.name.split(".")
    )


@functools.lru_cache(maxsize=4096)
def _test_part(part: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(part, pattern) for pattern in patterns)


@functools.lru_cache(maxsize=256)
def _test_root(project: Path, root: Path, patterns: tuple[str, ...]) -> bool:
    """An import root such as `tests/` (its modules are named `test_x`, not `tests.x`)."""
    try:
        parts = root.relative_to(project).parts
    except ValueError:
        return False
    return any(_test_part(part, patterns) for part in parts)


def is_component_hub(index: WorkspaceIndex, hub: Module, features: list[Module]) -> bool:
    """A component hub by content: named like a component, and re-exporting at least
    COMPONENT_SHARE of the public classes its feature files define."""
    if hub.basename not in index.config.components or hub.summary.has_getattr:
        return False
    if configured_hub(index.config, hub):
        return True
    classes = {
        (feature.name, definition.name)
        for feature in features
        for definition in feature.summary.definitions.values()
        if definition.kind is DefKind.CLASS and not definition.name.startswith("_")
    }
    if not classes:
        return False
    exported = exported_definitions(index, hub)
    return len(classes & exported) >= COMPONENT_SHARE * len(classes)


def exported_definitions(index: WorkspaceIndex, hub: Module) -> set[tuple[str, str]]:
    """(defining module, name) of every definition the hub's names resolve to."""
    from carve.core.index import Outcome  # the index imports this module

    exported: set[tuple[str, str]] = set()
    for bound in [*index.bindings(hub), *(index.provided_names(hub.name, hub) or ())]:
        result = index.resolve(hub.name, bound, hub)
        if result.outcome is Outcome.DEFINED:
            exported.add((result.module, result.name))
    return exported


def _may_reexport(module: Module) -> bool:
    summary = module.summary
    used, declared = summary.used_names, summary.dunder_all or ()
    for statement in summary.imports:
        if (
            not statement.from_import
            or statement.context is not ImportContext.MODULE
            or statement.module == "__future__"
            or statement.in_try
        ):
            continue
        for imported in statement.names:
            bound = imported.bound
            if bound == "*" or bound not in used or imported.explicit_reexport:
                return True
            if bound in declared:
                return True
    return False


def _aggregates(index: WorkspaceIndex, module: Module, source: str) -> bool:
    """Whether `source` is a workspace module inside `module`'s package."""
    package = index.hub_package(module)
    if source == module.name or not index.in_workspace(source):
        return False
    return not package or source.startswith(package + ".")


def _implicit_hub_of(index: WorkspaceIndex, module: Module, source: str) -> bool:
    if module.is_package:
        return True
    component = module.basename
    return component in index.config.components and source.endswith("_" + component)
