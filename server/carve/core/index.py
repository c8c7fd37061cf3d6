"""The workspace index: every module's summary, import resolution through hubs.

Answers "which module defines `Invoice`, reached as `apps.billing.models.Invoice`?"
by following re-export chains (hub → sub-hub → feature file), cycle-safe and memoised.
"""

from __future__ import annotations

import enum
import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.config import Config
from carve.core.summary import Import, ImportContext, ImportedName, ModuleSummary


@dataclass(slots=True, eq=False)
class Module:
    name: str
    path: Path
    root: Path
    is_package: bool
    summary: ModuleSummary
    _bindings: dict[str, Binding] | None = field(default=None, repr=False)

    @property
    def package(self) -> str:
        """The package this module's relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]

    @property
    def basename(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(frozen=True, slots=True)
class Binding:
    """A module-level name bound by an import: `from source import original as bound`."""

    statement: Import
    imported: ImportedName
    source: str  # absolute module name the import reads from
    original: str  # the name read from `source` ("" for `import a.b as c`)

    @property
    def is_module_import(self) -> bool:
        return not self.statement.from_import


class Outcome(enum.Enum):
    DEFINED = "defined"  # a definition in `module`
    MODULE = "module"  # the name is the module `module` itself
    EXTERNAL = "external"  # reached a module outside the workspace: cannot tell
    UNKNOWN = "unknown"  # dynamic (__getattr__, dynamic __all__, cycle): cannot tell
    MISSING = "missing"  # `module` exists but does not provide `name`
    NO_MODULE = "no_module"  # `module` would be in the workspace but does not exist


@dataclass(frozen=True, slots=True)
class Resolution:
    outcome: Outcome
    module: str
    name: str
    via: tuple[str, ...] = ()  # modules passed through, nearest first

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.DEFINED, Outcome.MODULE)

    @property
    def broken(self) -> bool:
        return self.outcome in (Outcome.MISSING, Outcome.NO_MODULE)


class WorkspaceIndex:
    def __init__(self, config: Config, modules: Iterable[Module]) -> None:
        self.config = config
        self.by_name: dict[str, list[Module]] = {}
        self.by_path: dict[Path, Module] = {}
        for module in modules:
            self.by_name.setdefault(module.name, []).append(module)
            self.by_path[module.path] = module
        self.top_levels = {name.partition(".")[0] for name in self.by_name}
        self._packages = {
            name.rsplit(".", depth)[0]
            for name in self.by_name
            for depth in range(1, name.count(".") + 1)
        }
        self._resolved: dict[tuple[str, str], Resolution] = {}
        self._provided: dict[str, frozenset[str] | None] = {}
        self._hubs: dict[str, bool] = {}
        self._hub_patterns = config.hubs

    # -- lookup -------------------------------------------------------------------
    def modules(self) -> Iterator[Module]:
        for group in self.by_name.values():
            yield from group

    def get(self, name: str, near: Module | None = None) -> Module | None:
        group = self.by_name.get(name)
        if not group:
            return None
        if near is not None and len(group) > 1:
            for module in group:
                if module.root == near.root:
                    return module
        return group[0]

    def in_workspace(self, name: str) -> bool:
        """Whether `name` belongs to a top-level package the workspace holds."""
        return name.partition(".")[0] in self.top_levels

    def absolute(self, module: Module, statement: Import) -> str:
        """The absolute module name a (possibly relative) from-import reads from."""
        if statement.level == 0:
            return statement.module
        base = module.package.split(".") if module.package else []
        if statement.level > 1:
            base = (
                base[: len(base) - (statement.level - 1)]
                if statement.level - 1 <= len(base)
                else []
            )
        parts = [*base, *([statement.module] if statement.module else [])]
        return ".".join(p for p in parts if p)

    # -- bindings and re-exports ----------------------------------------------------
    def bindings(self, module: Module) -> dict[str, Binding]:
        """Names bound at module level by runtime imports (TYPE_CHECKING and lazy excluded)."""
        if module._bindings is None:
            bindings: dict[str, Binding] = {}
            for statement in module.summary.imports:
                if statement.context is not ImportContext.MODULE:
                    continue
                for binding in self.statement_bindings(module, statement):
                    bindings.setdefault(binding.imported.bound, binding)
            module._bindings = bindings
        return module._bindings

    def statement_bindings(self, module: Module, statement: Import) -> Iterator[Binding]:
        if statement.from_import:
            source = self.absolute(module, statement)
            for imported in statement.names:
                if imported.name != "*":
                    yield Binding(statement, imported, source, imported.name)
        else:
            for imported in statement.names:
                if imported.alias:
                    yield Binding(statement, imported, imported.name, "")
                else:  # `import a.b.c` binds `a`
                    top = imported.name.partition(".")[0]
                    yield Binding(statement, imported, top, "")

    def star_sources(self, module: Module) -> list[str]:
        return [
            self.absolute(module, s)
            for s in module.summary.imports
            if s.context is ImportContext.MODULE
            and s.from_import
            and any(n.name == "*" for n in s.names)
        ]

    def is_reexport(self, module: Module, binding: Binding) -> bool:
        if binding.is_module_import or binding.source == "__future__":
            return False
        summary = module.summary
        bound = binding.imported.bound
        if binding.imported.explicit_reexport:
            return True
        if summary.dunder_all is not None and bound in summary.dunder_all:
            return True
        return bound not in summary.used_names

    def reexports(self, module: Module) -> dict[str, Binding]:
        return {
            name: binding
            for name, binding in self.bindings(module).items()
            if self.is_reexport(module, binding)
        }

    def hub_package(self, module: Module) -> str:
        """The package whose feature files a hub aggregates."""
        return module.package

    def is_hub(self, module: Module) -> bool:
        cached = self._hubs.get(module.name)
        if cached is None:
            cached = self._detect_hub(module)
            self._hubs[module.name] = cached
        return cached

    def _detect_hub(self, module: Module) -> bool:
        if any(fnmatch.fnmatchcase(module.name, p) for p in self._hub_patterns):
            return True
        if self._hub_patterns:
            return False
        inside = self.hub_package(module)
        prefix = inside + "." if inside else ""
        for binding in self.reexports(module).values():
            if binding.source.startswith(prefix) and binding.source != module.name:
                return True
        return any(s.startswith(prefix) and s != module.name for s in self.star_sources(module))

    def hubs(self) -> Iterator[Module]:
        return (m for m in self.modules() if self.is_hub(m))

    # -- resolution -----------------------------------------------------------------
    def resolve(self, module_name: str, name: str, near: Module | None = None) -> Resolution:
        key = (module_name, name)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolve(module_name, name, near, set())
            self._resolved[key] = cached
        return cached

    def _resolve(
        self, module_name: str, name: str, near: Module | None, seen: set[tuple[str, str]]
    ) -> Resolution:
        if (module_name, name) in seen:
            return Resolution(Outcome.UNKNOWN, module_name, name)
        seen.add((module_name, name))
        module = self.get(module_name, near)
        if module is None:
            if self.in_workspace(module_name) and not self._namespace_package(module_name):
                return Resolution(Outcome.NO_MODULE, module_name, name)
            submodule = f"{module_name}.{name}"
            if self._namespace_package(module_name) and self.get(submodule, near):
                return Resolution(Outcome.MODULE, submodule, name)
            if self._namespace_package(module_name):
                return Resolution(Outcome.MISSING, module_name, name)
            return Resolution(Outcome.EXTERNAL, module_name, name)
        summary = module.summary
        if name in summary.definitions:
            return Resolution(Outcome.DEFINED, module_name, name)
        binding = self.bindings(module).get(name)
        if binding is not None:
            return self._follow(module, binding, near, seen)
        submodule = f"{module_name}.{name}"
        if self.get(submodule, near) is not None:
            return Resolution(Outcome.MODULE, submodule, name)
        for source in self.star_sources(module):
            provided = self.provided_names(source, near)
            if provided is None or name in provided:
                result = self._resolve(source, name, near, seen)
                if result.outcome is not Outcome.MISSING:
                    return _via(result, module_name)
        if summary.has_getattr or summary.parse_error is not None:
            return Resolution(Outcome.UNKNOWN, module_name, name)
        if name in _MODULE_ATTRIBUTES:
            return Resolution(Outcome.DEFINED, module_name, name)
        return Resolution(Outcome.MISSING, module_name, name)

    def _follow(
        self, module: Module, binding: Binding, near: Module | None, seen: set[tuple[str, str]]
    ) -> Resolution:
        if binding.is_module_import:
            # `import a.b as c` binds a.b; plain `import a.b` binds `a` (source is then "a").
            return Resolution(
                Outcome.MODULE, binding.source, binding.imported.bound, (module.name,)
            )
        submodule = f"{binding.source}.{binding.original}"
        if self.get(submodule, near) is not None:
            source_module = self.get(binding.source, near)
            if source_module is None or (
                binding.original not in source_module.summary.definitions
                and binding.original not in self.bindings(source_module)
            ):
                return Resolution(Outcome.MODULE, submodule, binding.original, (module.name,))
        return _via(self._resolve(binding.source, binding.original, near, seen), module.name)

    def _namespace_package(self, name: str) -> bool:
        """A directory of modules without `__init__.py` (PEP 420)."""
        return name in self._packages and name not in self.by_name

    def provided_names(self, module_name: str, near: Module | None = None) -> frozenset[str] | None:
        """Names `from module import *` binds; None when that cannot be known statically."""
        if module_name in self._provided:
            return self._provided[module_name]
        self._provided[module_name] = None  # cycle guard: unknown while computing
        module = self.get(module_name, near)
        result: frozenset[str] | None
        if module is None or module.summary.all_dynamic or module.summary.has_getattr:
            result = None
        elif module.summary.dunder_all is not None:
            result = frozenset(module.summary.dunder_all)
        else:
            names = {n for n in module.summary.definitions if not n.startswith("_")}
            names.update(n for n in self.bindings(module) if not n.startswith("_"))
            for source in self.star_sources(module):
                inner = self.provided_names(source, near)
                if inner is None:
                    names = set()
                    result = None
                    break
                names.update(inner)
            else:
                result = frozenset(names)
        self._provided[module_name] = result
        return result


# Attributes every module has; `from m import __name__` is legal if odd.
_MODULE_ATTRIBUTES = frozenset(
    {"__name__", "__file__", "__doc__", "__path__", "__spec__", "__loader__", "__all__"}
)


def _via(result: Resolution, module_name: str) -> Resolution:
    return Resolution(result.outcome, result.module, result.name, (module_name, *result.via))
