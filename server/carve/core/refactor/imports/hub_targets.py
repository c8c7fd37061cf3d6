"""Which hubs `carve imports` works on: one hub (`apps.billing.models`), every hub of a
package (`apps.billing.*`, or a directory `apps/billing/`), or every hub (None)."""

from __future__ import annotations

from pathlib import Path

from carve.core.index import Module, WorkspaceIndex
from carve.core.rules.context import within


class ImportsError(Exception):
    """`carve imports` cannot run as asked (unknown target, not a hub): nothing planned."""


def select_hubs(index: WorkspaceIndex, target: str | None) -> list[Module]:
    """The hubs `target` names, sorted by module name; ImportsError when none.

    `None`: every hub. `a.b.models`: that module, which must be a hub. `a.b.*`, a
    package that is no hub itself, or a directory: every hub inside the package. A
    `.py` path: the module at that path."""
    if target is None:
        hubs = list(index.hubs())
        if not hubs:
            raise ImportsError("no hub in the workspace: nothing re-exports names")
        return _sorted(hubs)
    if "/" in target or "\\" in target or target.endswith(".py") or target in (".", ".."):
        return _by_path(index, Path(target))
    if target.endswith(".*"):
        return _in_package(index, target[:-2], target)
    module = index.get(target)
    if module is None:
        if any(within(m.name, target) for m in index.modules()):
            return _in_package(index, target, target)  # a namespace package
        raise ImportsError(f"no module `{target}` in the workspace")
    if index.is_hub(module):
        return [module]
    if module.is_package:
        return _in_package(index, target, target)
    raise ImportsError(
        f"`{target}` is not a hub: it re-exports no names defined in its package "
        "(name a hub, a package, or use --all)"
    )


def _by_path(index: WorkspaceIndex, path: Path) -> list[Module]:
    root = index.config.root
    candidates = [path] if path.is_absolute() else [Path.cwd() / path, root / path]
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_dir():
            hubs = [
                m for m in index.hubs() if resolved == m.path.parent or resolved in m.path.parents
            ]
            if not hubs:
                raise ImportsError(f"{path}: no hub in this directory")
            return _sorted(hubs)
        module = index.by_path.get(resolved) or index.by_path.get(candidate)
        if module is not None:
            if not index.is_hub(module):
                raise ImportsError(f"{path}: `{module.name}` is not a hub")
            return [module]
    raise ImportsError(f"{path}: not a module or directory of the workspace")


def _in_package(index: WorkspaceIndex, package: str, target: str) -> list[Module]:
    hubs = [m for m in index.hubs() if within(m.name, package)]
    if not hubs:
        raise ImportsError(f"`{target}`: no hub in package `{package}`")
    return _sorted(hubs)


def _sorted(hubs: list[Module]) -> list[Module]:
    return sorted(hubs, key=lambda m: (m.name, str(m.path)))
