"""Rules about imports that no longer resolve: broken-reexport, unresolved-import,
dunder-all-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from carve.core.findings import Finding, Span
from carve.core.index import Binding, Module, Outcome, Resolution
from carve.core.rules.context import RuleContext, name_span, statement_span, within
from carve.core.summary import Import, ImportContext, ImportedName


def check_imports_resolve(ctx: RuleContext) -> Iterator[Finding]:
    """broken-reexport for a hub's re-exports, unresolved-import for every other import."""
    index = ctx.index
    for module in ctx.reported_modules():
        reexports = index.reexports(module) if index.is_hub(module) else {}
        for statement in module.summary.imports:
            if statement.in_try:
                continue  # `try: import x except ImportError:` is a deliberate fallback
            if not statement.from_import:
                yield from _plain_import(ctx, module, statement)
            elif statement.level > index.relative_depth(module):
                yield _beyond_top_level(ctx, module, statement)
            else:
                yield from _from_import(ctx, module, statement, reexports)


def _from_import(
    ctx: RuleContext, module: Module, statement: Import, reexports: dict[str, Binding]
) -> Iterator[Finding]:
    index = ctx.index
    source = index.absolute(module, statement)
    if not index.in_workspace(source, module) and statement.level == 0:
        return
    checking = statement.context is ImportContext.TYPE_CHECKING
    for imported in statement.names:
        if imported.name == "*":
            result = _star(ctx, module, source)
        else:
            result = index.resolve(source, imported.name, module, checking)
        if not result.broken:
            continue
        binding = reexports.get(imported.bound)
        if binding is not None and binding.statement is statement:
            yield _broken_reexport(ctx, module, imported, source, result)
        else:
            yield _unresolved(ctx, module, statement, imported, source, result)


def _beyond_top_level(ctx: RuleContext, module: Module, statement: Import) -> Finding:
    dots = "." * statement.level
    return ctx.finding(
        "unresolved-import",
        module,
        statement_span(statement),
        f"relative import `from {dots}{statement.module} import …` goes beyond the top-level "
        f"package of `{module.name}`",
        symbol=f"{module.name}:{dots}{statement.module}",
        name=statement.module,
    )


def _star(ctx: RuleContext, module: Module, source: str) -> Resolution:
    if ctx.index.get(source, module) is None and ctx.index.in_workspace(source, module):
        resolved = ctx.index.resolve(source, "*", module)
        if resolved.outcome is Outcome.NO_MODULE:
            return resolved
    return Resolution(Outcome.UNKNOWN, source, "*")


def _plain_import(ctx: RuleContext, module: Module, statement: Import) -> Iterator[Finding]:
    index = ctx.index
    for imported in statement.names:
        name = imported.name
        if not index.in_workspace(name, module):
            continue
        if index.is_module(name, module):
            continue
        yield ctx.finding(
            "unresolved-import",
            module,
            name_span(imported),
            f"no module `{name}` in the workspace",
            symbol=name,
            name=name,
        )


def _describe(ctx: RuleContext, module: Module, result: Resolution, source: str) -> str:
    if result.outcome is Outcome.NO_MODULE:
        return f"`{result.module}` does not exist"
    source_module = ctx.index.get(source, module)
    if result.module == source and source_module is not None and source_module.is_package:
        return (
            f"`{source}` does not define `{result.name}` and has no submodule "
            f"`{source}.{result.name}`"
        )
    if result.module != source:
        return f"`{result.module}` (reached through `{source}`) does not define `{result.name}`"
    return f"`{source}` does not define `{result.name}`"


def _broken_reexport(
    ctx: RuleContext, module: Module, imported: ImportedName, source: str, result: Resolution
) -> Finding:
    candidates = [m for m in ctx.definers(imported.name, module) if m != module.name]
    hint = f"; it is now defined in `{candidates[0]}`" if len(candidates) == 1 else ""
    why = _describe(ctx, module, result, source)
    return ctx.finding(
        "broken-reexport",
        module,
        name_span(imported),
        f"hub re-exports `{imported.name}` from `{source}`, but {why}{hint}",
        symbol=f"{module.name}.{imported.bound}",
        name=imported.name,
        source=source,
        candidates=candidates,
    )


def _unresolved(
    ctx: RuleContext,
    module: Module,
    statement: Import,
    imported: ImportedName,
    source: str,
    result: Resolution,
) -> Finding:
    candidates = [m for m in ctx.definers(imported.name, module) if m != module.name]
    if imported.name == "*":
        candidates = []
    where = (
        f"; it is defined in {', '.join(f'`{c}`' for c in candidates[:3])}" if candidates else ""
    )
    span = statement_span(statement) if imported.name == "*" else name_span(imported)
    why = _describe(ctx, module, result, source)
    return ctx.finding(
        "unresolved-import",
        module,
        span,
        f"cannot import `{imported.name}` from `{source}`: {why}{where}",
        symbol=f"{source}.{imported.name}",
        name=imported.name,
        source=source,
        candidates=candidates,
    )


def check_dunder_all(ctx: RuleContext) -> Iterator[Finding]:
    for module in ctx.reported_modules():
        summary = module.summary
        if summary.dunder_all is None or summary.all_dynamic:
            continue  # a dynamic `__all__` is unknown, never guessed
        yield from _stale_names(ctx, module)
        listed = ctx.index.all_names(module)
        if listed is not None and ctx.index.is_hub(module):
            yield from _unlisted_reexports(ctx, module, listed)


def _stale_names(ctx: RuleContext, module: Module) -> Iterator[Finding]:
    """Names `__all__` lists that the module neither defines nor imports."""
    summary = module.summary
    line = summary.dunder_all_line or 1
    span = Span(line, 0, line, len("__all__"))
    for name in dict.fromkeys(summary.dunder_all or ()):
        if name in summary.definitions or name in ctx.index.bindings(module):
            continue
        if not ctx.index.resolve(module.name, name, module).broken:
            continue
        type_only = any(
            s.context is ImportContext.TYPE_CHECKING and any(n.bound == name for n in s.names)
            for s in summary.imports
        )
        why = (
            "is imported only under TYPE_CHECKING"
            if type_only
            else "is neither defined nor imported here"
        )
        yield ctx.finding(
            "dunder-all-mismatch",
            module,
            span,
            f"`__all__` lists `{name}`, which {why}",
            symbol=f"{module.name}.__all__.{name}",
            name=name,
            kind="stale",
        )


def _unlisted_reexports(
    ctx: RuleContext, module: Module, listed: frozenset[str]
) -> Iterator[Finding]:
    """A hub's re-exports missing from its `__all__`: the explicit `X as X` form, and
    unused imports from its own feature files (ruff's F401 fix would delete those).
    An unused import from elsewhere (`from typing import Any`) is F401's business."""
    index = ctx.index
    package = index.hub_package(module)
    for bound, binding in index.reexports(module).items():
        if bound in listed or bound.startswith("_"):
            continue
        if not binding.imported.explicit_reexport and not (
            binding.source != module.name
            and within(binding.source, package)
            and index.in_workspace(binding.source)
        ):
            continue
        yield ctx.finding(
            "dunder-all-mismatch",
            module,
            name_span(binding.imported),
            f"`{bound}` is re-exported from `{binding.source}` but missing from `__all__`",
            symbol=f"{module.name}.__all__.{bound}",
            name=bound,
            kind="missing",
        )
