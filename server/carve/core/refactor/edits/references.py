"""How one module names another in an import: relative or absolute, in the project's style."""

from __future__ import annotations

from dataclasses import dataclass

from carve.core.index import Module, WorkspaceIndex
from carve.core.refactor.edits.import_order import Names, member_key
from carve.core.refactor.edits.project_style import ProjectStyle

_SAMPLE = 24  # sibling modules consulted when a module has no first-party imports


def relative_reference(package: str, target: str) -> str | None:
    """`from <this> import …` text reaching `target` from a module in `package`, relatively;
    None when they share no top-level package (a relative import cannot get there)."""
    here = package.split(".") if package else []
    there = target.split(".")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    if common == 0:
        return None
    level = len(here) - common + 1
    return "." * level + ".".join(there[common:])


def absolute_reference(package: str, level: int, module: str) -> str:
    """The module `from <level dots><module> import …` reads, written in `package`."""
    if not level:
        return module
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*parts, *([module] if module else [])])


def reference(module: Module | str, target: str, relative: bool) -> str:
    """How `module` (or a module in package `module`) names `target` after `from`:
    relative when asked and possible."""
    if relative:
        package = module if isinstance(module, str) else module.package
        text = relative_reference(package, target)
        if text is not None:
            return text
    return target


def render_from_import(
    source: str,
    names: Names,
    style: ProjectStyle,
    newline: str = "\n",
    indent: str = "",
    one_per_line: bool = False,
) -> str:
    """`from source import …` for `names` as isort lays them out (no final newline): a
    name with `as` in a statement of its own unless `combine-as-imports`, one name per
    statement with `force-single-line`, statements in order, each wrapped in parentheses
    when longer than the line length."""
    if one_per_line or style.force_single_line:
        groups = [[n] for n in names]
    else:
        joined = [n for n in names if n[1] is None or style.combine_as]
        alone = [[n] for n in names if not (n[1] is None or style.combine_as)]
        groups = [joined, *alone] if joined else alone
    groups = sorted(
        (sorted(g, key=lambda n: member_key(*n)) for g in groups), key=lambda g: member_key(*g[0])
    )
    lines = (wrapped(source, g, style.line_length, newline, indent) for g in groups)
    return newline.join(lines)


def wrapped(
    source: str, names: Names, line_length: int, newline: str, indent: str = "", comment: str = ""
) -> str:
    """One statement: on one line, or one name per line in parentheses when too long (a
    trailing `comment` then goes after the only name, or after the parenthesis)."""
    parts = [name if alias is None else f"{name} as {alias}" for name, alias in names]
    line = f"{indent}from {source} import {', '.join(parts)}"
    after = f"  {comment}" if comment else ""
    if len(line) + len(after) <= line_length:
        return line + after
    lines = [f"{indent}    {part}," for part in parts]
    if len(lines) == 1:
        lines[0] += after
        after = ""
    inner = "".join(line + newline for line in lines)
    return f"{indent}from {source} import ({after}{newline}{inner}{indent})"


@dataclass(frozen=True, slots=True)
class ImportStyle:
    relative: bool  # first-party imports written relatively
    one_per_line: bool  # `from x import a` / `from x import b` rather than grouped


def detect_style(index: WorkspaceIndex, module: Module, target: str = "") -> ImportStyle:
    """The style of `module`'s own first-party imports. A module without any imports
    `target` relatively when it is in the same package (the hub convention:
    `from .invoice_models import Invoice as Invoice`), else as its siblings do."""
    relative, absolute, single, grouped = _count(index, module)
    if relative + absolute == 0 and target and target.rpartition(".")[0] == module.package:
        relative = 1
    elif relative + absolute == 0:
        package = module.package
        siblings = [
            m
            for m in index.modules()
            if m.package == package and m is not module and m.name.startswith(package)
        ]
        for sibling in siblings[:_SAMPLE]:
            counts = _count(index, sibling)
            relative, absolute = relative + counts[0], absolute + counts[1]
    return ImportStyle(relative >= absolute, single >= 2 and not grouped)


def _count(index: WorkspaceIndex, module: Module) -> tuple[int, int, int, int]:
    relative = absolute = single = grouped = 0
    previous = ""
    for statement in module.summary.imports:
        if not statement.from_import or statement.column or statement.in_try:
            continue
        if statement.level:
            relative += 1
        elif index.in_workspace(statement.module):
            absolute += 1
        key = f"{statement.level}{statement.module}"
        if len(statement.names) > 1:
            grouped += 1
        elif key == previous and statement.names[0].alias is None:
            single += 1
        previous = key
    return relative, absolute, single, grouped
