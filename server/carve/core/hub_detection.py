"""Which modules are hubs: detected by what they re-export, or named by `hubs` patterns."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING

from carve.core.summary import ImportContext

if TYPE_CHECKING:
    from carve.core.index import Module, WorkspaceIndex


def detect_hub(index: WorkspaceIndex, module: Module) -> bool:
    """A hub re-exports names from modules inside its package. Explicit re-exports
    (`X as X`, `__all__`) count anywhere. A bare unused import or a star import counts
    in a package `__init__`, or in a component hub from its own feature files
    (`models.py` from `invoice_models.py`); elsewhere it is just an unused import
    (ruff F401): a `views.py` importing models is not their hub."""
    if index.config.hubs:
        return any(fnmatch.fnmatchcase(module.name, p) for p in index.config.hubs)
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


def _may_reexport(module: Module) -> bool:
    summary = module.summary
    used, declared = summary.used_names, summary.dunder_all or ()
    for statement in summary.imports:
        if (
            not statement.from_import
            or statement.context is not ImportContext.MODULE
            or statement.module == "__future__"
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
