"""A split plan: which feature file gets which top-level definitions of a module, as
data the user can review and edit (TOML) before anything is planned or written."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.edits.edit_set import ReadText, read_from_disk
from carve.core.refactor.edits.layout import ModuleLayout
from carve.core.refactor.edits.names import has_future_annotations
from carve.core.refactor.edits.naming import default_shared
from carve.core.refactor.edits.splices import LineIndex
from carve.core.refactor.edits.syntax import parse_tree
from carve.core.refactor.edits.unit_graph import UnitGraph
from carve.core.refactor.request import MoveError
from carve.core.refactor.split.grouping import FeatureGrouping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

LAYOUTS = ("flat", "package")


@dataclass
class PlannedFile:
    module: str
    names: list[str]
    shared: bool = False  # the file every feature file may import (bases, set-up)
    lines: int = 0  # lines of the definitions it receives
    needs: list[str] = field(default_factory=list)  # other planned modules it imports


@dataclass
class SplitPlan:
    source: str
    layout: str
    files: list[PlannedFile]
    hub: list[str]  # names the source keeps

    def to_toml(self) -> str:
        out = [
            f"# carve split plan for {self.source}: edit the groups, then",
            f"# carve split {self.source} --plan THIS_FILE",
            f'source = "{self.source}"',
            f'layout = "{self.layout}"',
            f"hub = {_toml_list(self.hub)}",
        ]
        for planned in self.files:
            out += ["", "[[file]]", f'module = "{planned.module}"']
            if planned.shared:
                out.append("shared = true")
            out.append(f"names = {_toml_list(planned.names)}")
        return "\n".join(out) + "\n"


def propose_split(
    index: WorkspaceIndex, source: str, layout: str | None = None, read_text: ReadText | None = None
) -> SplitPlan:
    """The feature files `source` splits into, by the grouping of grouping.py."""
    module, graph = _graph(index, source, read_text)
    layout = layout or ("package" if module.is_package else "flat")
    component = _component(module, index.config.components)
    grouping = FeatureGrouping(graph, component).run()
    files: list[PlannedFile] = []
    if grouping.shared:
        files.append(PlannedFile(_shared_module(index, module, layout), grouping.shared, True))
    for feature, names in grouping.features.items():
        files.append(PlannedFile(_feature_module(module, feature, component, layout), names))
    plan = SplitPlan(module.name, layout, _merged(files), grouping.hub)
    describe(plan, graph)
    return plan


def load_plan(text: str, origin: str) -> SplitPlan:
    """A plan from TOML (as `to_toml` writes it); MoveError naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MoveError(f"{origin}: not valid TOML: {exc}") from None
    source, layout = data.get("source"), data.get("layout", "flat")
    if not isinstance(source, str) or layout not in LAYOUTS:
        raise MoveError(f'{origin}: needs `source = "pkg.module"` and `layout` flat or package')
    entries = data.get("file", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MoveError(f"{origin}: each file is a `[[file]]` table (two brackets)")
    files = []
    for number, entry in enumerate(entries, 1):
        module, names = entry.get("module"), entry.get("names")
        if not isinstance(module, str) or not _strings(names):
            raise MoveError(f"{origin}: [[file]] #{number} needs `module` and a `names` list")
        files.append(PlannedFile(module, list(names), bool(entry.get("shared", False))))
    hub = data.get("hub", [])
    if not _strings(hub):
        raise MoveError(f"{origin}: `hub` must be a list of names")
    return SplitPlan(source, layout, files, list(hub))


def check_plan(
    index: WorkspaceIndex, plan: SplitPlan, read_text: ReadText | None = None
) -> SplitPlan:
    """Refuse a plan naming unknown names, a name twice, a file the hub would have to
    import back, or files importing each other; fill in lines and dependencies."""
    _module, graph = _graph(index, plan.source, read_text)
    where: dict[str, str] = {}
    for planned in plan.files:
        for name in planned.names:
            if name not in graph.binders:
                raise MoveError(f"`{plan.source}` has no top-level definition `{name}`")
            if name in where:
                raise MoveError(
                    f"`{name}` is planned for both `{where[name]}` and `{planned.module}`"
                )
            where[name] = planned.module
    modules = [p.module for p in plan.files]
    twice = sorted({m for m in modules if modules.count(m) > 1})
    if twice:
        raise MoveError(f"`{twice[0]}` is planned twice: one [[file]] per module")
    for unit in graph.body():
        homes = {where.get(n) for n in graph.owners(unit) if n in graph.binders}
        if len(homes) > 1:
            names = ", ".join(f"`{n}`" for n in sorted(graph.owners(unit)))
            raise MoveError(
                f"line {unit.node.lineno} binds {names} in one statement: plan them into one "
                "file (or all into the hub)"
            )
    describe(plan, graph)
    for planned in plan.files:
        for name in planned.names:
            for need in sorted(_runtime(graph, name)):
                if need not in where and need in graph.binders and need not in graph.copies:
                    raise MoveError(
                        f"`{planned.module}` needs `{need}` (read by `{name}`), which the plan "
                        f"leaves in `{plan.source}`: the hub imports the feature files, so "
                        "that is an import cycle; plan it into a file"
                    )
    cycle = _file_cycle(plan)
    if cycle:
        raise MoveError(
            f"the planned files import each other: {' → '.join(cycle)}; put what they "
            "share in one file"
        )
    return plan


def describe(plan: SplitPlan, graph: UnitGraph) -> None:
    """Each planned file's line count and the planned files it imports."""
    where = {n: p.module for p in plan.files for n in p.names}
    for planned in plan.files:
        units = graph.units_of(planned.names)
        planned.lines = sum(u.last_line - u.first_line + 1 for u in units)
        needs = {where[n] for name in planned.names for n in _runtime(graph, name) if n in where}
        planned.needs = sorted(needs - {planned.module})


def _graph(
    index: WorkspaceIndex, source: str, read_text: ReadText | None
) -> tuple[Module, UnitGraph]:
    module = index.get(source)
    if module is None:
        raise MoveError(f"no module `{source}` in the workspace")
    text = (read_text or read_from_disk)(module.path)
    tree = parse_tree(text, module.path)
    layout = ModuleLayout(tree, LineIndex(text))
    deferred = has_future_annotations(module.summary)
    return module, UnitGraph(layout, module.summary.definitions, deferred)


def _runtime(graph: UnitGraph, name: str) -> set[str]:
    return graph.needed_by([name])


def _component(module: Module, components: tuple[str, ...]) -> str:
    base = module.basename
    for candidate in components:
        if base.endswith("_" + candidate):
            return candidate
    return base


def _feature_module(module: Module, feature: str, component: str, layout: str) -> str:
    if module.is_package:
        return f"{module.name}.{feature}"
    if layout == "package":
        return f"{module.name}.{feature}"
    base = f"{feature}_{component}"
    return f"{module.package}.{base}" if module.package else base


def _shared_module(index: WorkspaceIndex, module: Module, layout: str) -> str:
    if layout == "package" and not module.is_package:
        return f"{module.name}.base"
    return default_shared(module, index.config.components)


def _merged(files: list[PlannedFile]) -> list[PlannedFile]:
    """One entry per module: a feature named like the shared file joins it."""
    by_module: dict[str, PlannedFile] = {}
    for planned in files:
        first = by_module.get(planned.module)
        if first is None:
            by_module[planned.module] = planned
        else:
            first.names += planned.names
    return list(by_module.values())


def _file_cycle(plan: SplitPlan) -> list[str]:
    edges = {p.module: set(p.needs) for p in plan.files}
    for start in edges:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for target in sorted(edges.get(node, ())):
                if target == start:
                    return [*path, start]
                if target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    return []


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _toml_list(names: list[str]) -> str:
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"
