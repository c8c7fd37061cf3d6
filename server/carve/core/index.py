"""The workspace index: every module's summary, import resolution through hubs.

Answers "which module defines `Invoice`, reached as `apps.billing.models.Invoice`?"
by following re-export chains (hub → sub-hub → feature file), cycle-safe and memoised.
"""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from carve.core.config import Config
from carve.core.hub_detection import detect_hub
from carve.core.module_set import ModuleSet
from carve.core.summary import Import, ImportContext, ImportedName, ModuleSummary


@dataclass(slots=True, eq=False)
class Module:
    name: str
    path: Path
    root: Path
    is_package: bool
    summary: ModuleSummary
    _bindings: dict[str, Binding] | None = field(default=None, repr=False)
    _checking_bindings: dict[str, Binding] | None = field(default=None, repr=False)
    _reexports: dict[str, Binding] | None = field(default=None, repr=False)
    # How an unloaded module reads its summary (see `unloaded`); None once it has.
    _load: Callable[[], ModuleSummary] | None = field(default=None, repr=False)
    # The package this module's relative imports start from (read for every import).
    package: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.package = self.name if self.is_package else self.name.rpartition(".")[0]

    @classmethod
    def unloaded(
        cls, name: str, path: Path, root: Path, is_package: bool, load: Callable[[], ModuleSummary]
    ) -> Module:
        """A module whose summary is read (`load()`) when it is first asked for: a
        re-check of one file reads its neighbours' summaries, not the whole workspace's.
        Until then the `summary` slot is empty, so reading a loaded one costs nothing."""
        module = cls.__new__(cls)
        module.name, module.path, module.root, module.is_package = name, path, root, is_package
        module._bindings = module._checking_bindings = module._reexports = None
        module._load = load
        module.package = name if is_package else name.rpartition(".")[0]
        return module

    if not TYPE_CHECKING:  # typed as the `summary` field; only reached for an empty slot

        def __getattr__(self, name: str) -> object:
            load = self._load
            if name != "summary" or load is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            summary = self.summary = load()
            self._load = None
            return summary

    @property
    def basename(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(
    slots=True, eq=False
)  # not frozen: built by the hundred thousand, frozen init is 3x slower
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
    def broken(self) -> bool:
        return self.outcome in (Outcome.MISSING, Outcome.NO_MODULE)


class WorkspaceIndex:
    def __init__(self, config: Config, modules: Iterable[Module]) -> None:
        self.by_name: dict[str, list[Module]] = {}
        self.by_path: dict[Path, Module] = {}
        for module in modules:
            self.by_name.setdefault(module.name, []).append(module)
            self.by_path[module.path] = module
        self._start(config, ModuleSet(config, self.by_path.values()))

    @classmethod
    def replacing(cls, previous: WorkspaceIndex, modules: Iterable[Module]) -> WorkspaceIndex:
        """`previous` with `modules` swapped in for those at the same paths (an edit
        re-summarised them): the tables are copied and patched, not rebuilt."""
        index = cls.__new__(cls)
        index.by_path = dict(previous.by_path)
        index.by_name = dict(previous.by_name)
        for module in modules:
            index.by_path[module.path] = module
            index.by_name[module.name] = [
                module if m.path == module.path else m for m in index.by_name[module.name]
            ]
        index._start(previous.config, previous.module_set)
        return index

    def _start(self, config: Config, module_set: ModuleSet) -> None:
        self.config = config
        self.module_set = module_set
        self._regular = self.module_set.regular
        self._private = self.module_set.private
        self.top_levels = self.module_set.top_levels
        self._private_tops = self.module_set.private_tops
        self._packages = self.module_set.packages
        self._resolved: dict[tuple[Path | None, str, str, bool], Resolution] = {}
        self._provided: dict[Path, frozenset[str] | None] = {}
        self._hubs: dict[Path, bool] = {}
        self._compiled_stems: dict[Path, frozenset[str]] = {}
        # Facts other layers derive from this index and keep with it (the import cycles);
        # `inherited`: those of the index this one replaced, each with the paths edited
        # since, for facts that update in place instead of being rebuilt.
        self.facts: dict[str, object] = {}
        self.inherited: dict[str, tuple[object, frozenset[Path]]] = {}

    def inherit(self, previous: WorkspaceIndex, edited: Iterable[Path]) -> None:
        """Start from `previous`'s facts after `edited` files were re-summarised (the
        facts, never `previous` itself, which is dropped)."""
        changed = frozenset(edited)
        carried = {
            key: (fact, since | changed) for key, (fact, since) in previous.inherited.items()
        }
        carried.update((key, (fact, changed)) for key, fact in previous.facts.items())
        self.inherited = carried

    # -- lookup -------------------------------------------------------------------
    def modules(self) -> Iterator[Module]:
        for group in self.by_name.values():
            yield from group

    def get(self, name: str, near: Module | None = None) -> Module | None:
        """The module `name` as seen from `near`: resolution stays within `near`'s import
        root for every package that root holds (two services may both have `apps.billing`);
        other roots are searched only for packages it does not hold (`src/` seen from tests,
        PEP 420 namespace packages spread over several roots)."""
        group = self.by_name.get(name)
        if not group:
            return None
        if near is None:
            return next((m for m in group if m.root not in self._private), group[0])
        near_root = near.root
        for module in group:  # identity first: discovery shares one Path per root
            if module.root is near_root:
                return module
        for module in group:
            if module.root == near_root:
                return module
        regular = self._regular.get(near.root, set())
        parts = name.split(".")
        if any(".".join(parts[:depth]) in regular for depth in range(1, len(parts))):
            return None
        return next((m for m in group if m.root not in self._private), None)

    def children(self, package: str, near: Module) -> list[Module]:
        """Modules directly inside `package` ("" for top level), in `near`'s root."""
        return [self.by_path[p] for p in self.module_set.children(near.root, package)]

    def is_module(self, name: str, near: Module | None = None) -> bool:
        """A module or package file, a namespace package directory (PEP 420), or an
        extension module built from a file beside the package's modules."""
        return (
            self.get(name, near) is not None
            or self._namespace_package(name)
            or self._compiled(name, near)
        )

    def in_workspace(self, name: str, near: Module | None = None) -> bool:
        """Whether `name` belongs to a top-level package the workspace holds (as seen from
        `near`: a fixture root's own packages count only for its own modules)."""
        top = name.partition(".")[0]
        if top in self.top_levels:
            return True
        return near is not None and top in self._private_tops.get(near.root, ())

    def relative_depth(self, module: Module) -> int:
        """The most leading dots a relative import in `module` may use (0: none)."""
        return module.package.count(".") + 1 if module.package else 0

    def absolute(self, module: Module, statement: Import) -> str:
        """The absolute module name a (possibly relative) from-import reads from."""
        if statement.level == 0:
            return statement.module
        return _absolute(module.package, statement.level, statement.module)

    def imported_modules(self, module: Module, statement: Import) -> list[Module]:
        """Workspace modules a statement imports. `from pkg import sub` imports the
        submodule `sub`; it reaches `pkg` itself only for names that are not submodules
        (a package is initialised before its submodules: that edge never fails)."""
        names: list[str] = []
        if not statement.from_import:
            names = [imported.name for imported in statement.names]
        else:
            source = self.absolute(module, statement)
            by_name = self.by_name
            for imported in statement.names:
                submodule = f"{source}.{imported.name}"
                # Most imported names are not modules: one dict lookup tells.
                if submodule in by_name and self.get(submodule, module) is not None:
                    names.append(submodule)
                elif source not in names:
                    names.append(source)
        found = (self.get(name, module) for name in names)
        return [target for target in found if target is not None]

    # -- bindings and re-exports ----------------------------------------------------
    def bindings(self, module: Module, checking: bool = False) -> dict[str, Binding]:
        """Names bound at module level by runtime imports (TYPE_CHECKING and lazy excluded);
        `checking`: as a type checker sees them, `if TYPE_CHECKING:` imports included."""
        if module._bindings is None:
            module._bindings = self._collect_bindings(module, (ImportContext.MODULE,))
        if not checking:
            return module._bindings
        if module._checking_bindings is None:
            contexts = (ImportContext.MODULE, ImportContext.TYPE_CHECKING)
            module._checking_bindings = self._collect_bindings(module, contexts)
        return module._checking_bindings

    def _collect_bindings(
        self, module: Module, contexts: tuple[ImportContext, ...]
    ) -> dict[str, Binding]:
        bindings: dict[str, Binding] = {}
        for statement in module.summary.imports:
            if statement.context in contexts:
                for binding in self.statement_bindings(module, statement):
                    bindings.setdefault(binding.imported.bound, binding)
        return bindings

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
        if binding.statement.in_try:
            return False  # `try: from x import y / except ImportError:` is a fallback
        summary = module.summary
        bound = binding.imported.bound
        if binding.imported.explicit_reexport:
            return True
        if summary.dunder_all is not None and bound in summary.dunder_all:
            return True
        return bound not in summary.used_names

    def reexports(self, module: Module) -> dict[str, Binding]:
        if module._reexports is None:
            module._reexports = {
                name: binding
                for name, binding in self.bindings(module).items()
                if self.is_reexport(module, binding)
            }
        return module._reexports

    def hub_package(self, module: Module) -> str:
        """The package whose feature files a hub aggregates."""
        return module.package

    def is_hub(self, module: Module) -> bool:
        cached = self._hubs.get(module.path)
        if cached is None:
            cached = detect_hub(self, module)
            self._hubs[module.path] = cached
        return cached

    def hubs(self) -> Iterator[Module]:
        return (m for m in self.modules() if self.is_hub(m))

    # -- resolution -----------------------------------------------------------------
    def resolve(
        self, module_name: str, name: str, near: Module | None = None, checking: bool = False
    ) -> Resolution:
        """`checking`: resolve an `if TYPE_CHECKING:` import, which a type checker follows
        through the target's own TYPE_CHECKING imports (pydantic's pattern); a runtime
        import must not."""
        key = (near.root if near is not None else None, module_name, name, checking)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolve(module_name, name, near, set(), checking)
            self._resolved[key] = cached
        return cached

    def _resolve(
        self,
        module_name: str,
        name: str,
        near: Module | None,
        seen: set[tuple[str, str]],
        checking: bool = False,
    ) -> Resolution:
        if (module_name, name) in seen:
            return Resolution(Outcome.UNKNOWN, module_name, name)
        seen.add((module_name, name))
        module = self.get(module_name, near)
        if module is None:
            return self._resolve_missing_module(module_name, name, near)
        summary = module.summary
        if name in summary.definitions:
            return Resolution(Outcome.DEFINED, module_name, name)
        binding = self.bindings(module, checking).get(name)
        if binding is not None:
            return self._follow(module, binding, seen, checking)
        submodule = f"{module_name}.{name}"
        if self.is_module(submodule, module):
            return Resolution(Outcome.MODULE, submodule, name)
        for source in self.star_sources(module):
            provided = self.provided_names(source, module)
            if provided is None or name in provided:
                result = self._resolve(source, name, module, seen, checking)
                if result.outcome is not Outcome.MISSING:
                    return _via(result, module_name)
        if summary.has_getattr or summary.parse_error is not None:
            return Resolution(Outcome.UNKNOWN, module_name, name)
        if name in _MODULE_ATTRIBUTES:
            return Resolution(Outcome.DEFINED, module_name, name)
        return Resolution(Outcome.MISSING, module_name, name)

    def _resolve_missing_module(
        self, module_name: str, name: str, near: Module | None
    ) -> Resolution:
        if self._compiled(module_name, near):  # its names cannot be read statically
            return Resolution(Outcome.UNKNOWN, module_name, name)
        if self._namespace_package(module_name):
            submodule = f"{module_name}.{name}"
            if self.is_module(submodule, near):
                return Resolution(Outcome.MODULE, submodule, name)
            return Resolution(Outcome.MISSING, module_name, name)
        if self._registered_below_module(module_name, near):
            return Resolution(Outcome.UNKNOWN, module_name, name)
        if self.in_workspace(module_name, near):
            return Resolution(Outcome.NO_MODULE, module_name, name)
        return Resolution(Outcome.EXTERNAL, module_name, name)

    def _follow(
        self, module: Module, binding: Binding, seen: set[tuple[str, str]], checking: bool
    ) -> Resolution:
        if binding.is_module_import:
            # `import a.b as c` binds a.b; plain `import a.b` binds `a` (source is then "a").
            return Resolution(
                Outcome.MODULE, binding.source, binding.imported.bound, (module.name,)
            )
        submodule = f"{binding.source}.{binding.original}"
        if binding.source == module.name:  # `from . import sub` in a package's __init__
            if self.is_module(submodule, module):
                return Resolution(Outcome.MODULE, submodule, binding.original, (module.name,))
            return Resolution(Outcome.MISSING, module.name, binding.original, (module.name,))
        if self.is_module(submodule, module):
            source_module = self.get(binding.source, module)
            if source_module is None or (
                binding.original not in source_module.summary.definitions
                and binding.original not in self.bindings(source_module, checking)
            ):
                return Resolution(Outcome.MODULE, submodule, binding.original, (module.name,))
        resolved = self._resolve(binding.source, binding.original, module, seen, checking)
        return _via(resolved, module.name)

    def _registered_below_module(self, name: str, near: Module | None) -> bool:
        """`requests.packages.urllib3`: below a plain module (never a package) only
        `sys.modules[…] = …` in that module can make a name importable."""
        parts = name.split(".")
        for depth in range(len(parts) - 1, 0, -1):
            ancestor = self.get(".".join(parts[:depth]), near)
            if ancestor is not None:
                return not ancestor.is_package and ancestor.summary.has_getattr
        return False

    def _compiled(self, name: str, near: Module | None) -> bool:
        """`pkg/util.pyx` (or a built `util.*.so`/`.pyd`) makes `pkg.util` a module once
        the package is built: SQLAlchemy's `sqlalchemy.cyextension.util`. Read only when
        a name is otherwise missing, one directory listing per package."""
        parent_name, _, stem = name.rpartition(".")
        parent = self.get(parent_name, near) if parent_name else None
        if parent is None or not parent.is_package:
            return False
        directory = parent.path.parent
        stems = self._compiled_stems.get(directory)
        if stems is None:
            stems = frozenset(_compiled_stems(directory))
            self._compiled_stems[directory] = stems
        return stem in stems

    def _namespace_package(self, name: str) -> bool:
        """A directory of modules without `__init__.py` (PEP 420)."""
        return name in self._packages and name not in self.by_name

    def provided_names(self, module_name: str, near: Module | None = None) -> frozenset[str] | None:
        """Names `from module import *` binds; None when that cannot be known statically."""
        module = self.get(module_name, near)
        if module is None or module.summary.all_dynamic or module.summary.has_getattr:
            return None
        if module.path in self._provided:
            return self._provided[module.path]
        self._provided[module.path] = None  # cycle guard: unknown while computing
        result: frozenset[str] | None
        if module.summary.dunder_all is not None:
            result = self.all_names(module)
        else:
            result = self._public_names(module)
        self._provided[module.path] = result
        return result

    def _public_names(self, module: Module) -> frozenset[str] | None:
        names = {n for n in module.summary.definitions if not n.startswith("_")}
        names.update(n for n in self.bindings(module) if not n.startswith("_"))
        for source in self.star_sources(module):
            inner = self.provided_names(source, module)
            if inner is None:
                return None
            names.update(inner)
        return frozenset(names)

    def all_names(self, module: Module) -> frozenset[str] | None:
        """Every name `__all__` lists, `+ other.__all__` included; None when dynamic."""
        summary = module.summary
        if summary.dunder_all is None or summary.all_dynamic:
            return None
        names = set(summary.dunder_all)
        for alias in summary.all_extends:
            target = self.resolve(module.name, alias, module)
            inner = (
                self.provided_names(target.module, module)
                if target.outcome is Outcome.MODULE
                else None
            )
            if inner is None:
                return None
            names.update(inner)
        return frozenset(names)


# Attributes every module has; `from m import __name__` is legal if odd.
_MODULE_ATTRIBUTES = frozenset(
    {"__name__", "__file__", "__doc__", "__path__", "__spec__", "__loader__", "__all__"}
)


_COMPILED_SUFFIXES = (".pyx", ".so", ".pyd")


def _compiled_stems(directory: Path) -> Iterator[str]:
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(_COMPILED_SUFFIXES):
                    yield entry.name.partition(".")[0]  # `util.cpython-312-x86_64.so`
    except OSError:
        return


@functools.lru_cache(maxsize=65536)
def _absolute(package: str, level: int, name: str) -> str:
    """Memoised: the rules ask it ~30 times per module, of a few thousand packages."""
    base = package.split(".") if package else []
    if level > 1:
        base = base[: len(base) - (level - 1)] if level - 1 <= len(base) else []
    parts = [*base, *([name] if name else [])]
    return ".".join(p for p in parts if p)


def _via(result: Resolution, module_name: str) -> Resolution:
    return Resolution(result.outcome, result.module, result.name, (module_name, *result.via))
