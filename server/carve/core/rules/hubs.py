"""Rules about how code reaches names through hubs: hub-bypass, legacy-hub-import,
missing-reexport, hub-self-import."""

from __future__ import annotations

from collections.abc import Iterator

from carve.core.config import ImportPolicy
from carve.core.findings import Finding, Span
from carve.core.hub_detection import exported_definitions, is_component_hub, owns
from carve.core.index import Module, Outcome, Resolution
from carve.core.rules.context import RuleContext, name_span, statement_span, within
from carve.core.summary import Definition, DefKind, Import, ImportContext, ImportedName


def check_hub_imports(ctx: RuleContext) -> Iterator[Finding]:
    """hub-bypass (policy via-hub) and legacy-hub-import (policy direct)."""
    index = ctx.index
    for module in ctx.reported_modules():
        for statement in module.summary.imports:
            if not statement.from_import:
                continue
            source = index.absolute(module, statement)
            source_module = index.get(source, module)
            if source_module is None:
                continue
            source_is_hub = index.is_hub(source_module)
            for imported in statement.names:
                if imported.name == "*":
                    continue
                resolved = index.resolve(source, imported.name, module)
                if resolved.outcome is not Outcome.DEFINED:
                    continue
                if resolved.module == source:
                    finding = _bypass(ctx, module, source_module, imported, resolved.name)
                elif source_is_hub:
                    finding = _legacy(ctx, module, source_module, statement, imported, resolved)
                else:
                    finding = None
                if finding is not None:
                    yield finding


def _bypass(
    ctx: RuleContext, module: Module, defining: Module, imported: ImportedName, name: str
) -> Finding | None:
    source = defining.name
    for hub, _source in ctx.reexporters(defining, name):
        if hub is module or within(module.name, ctx.index.hub_package(hub)):
            return None  # inside the hub's own package imports go direct
        if ctx.config.policy_for(hub.name) is not ImportPolicy.VIA_HUB:
            return None
        return ctx.finding(
            "hub-bypass",
            module,
            name_span(imported),
            f"`{name}` is re-exported by `{hub.name}`; import it from there",
            symbol=f"{source}.{name}",
            hub=hub.name,
            name=name,
            source=source,
        )
    return None


def _legacy(
    ctx: RuleContext,
    module: Module,
    hub: Module,
    statement: Import,
    imported: ImportedName,
    resolved: Resolution,
) -> Finding | None:
    if ctx.config.policy_for(hub.name) is not ImportPolicy.DIRECT:
        return None
    defining = ctx.index.get(resolved.module, module)
    if defining is None or not owns(ctx.index, hub, defining):
        return None  # a convenience re-export from another package: not a legacy hub of it
    binding = ctx.index.bindings(module).get(imported.bound)
    if (
        binding is not None
        and binding.statement is statement
        and ctx.index.is_hub(module)
        and ctx.index.is_reexport(module, binding)
    ):
        return None  # a hub chaining through another hub is how hubs are built
    return ctx.finding(
        "legacy-hub-import",
        module,
        name_span(imported),
        f"`{resolved.name}` is defined in `{resolved.module}`; `{hub.name}` is a legacy hub "
        "(import-policy = direct): import it from the defining module",
        symbol=f"{hub.name}.{imported.name}",
        hub=hub.name,
        name=imported.name,
        target=resolved.module,
    )


def feature_files(ctx: RuleContext, hub: Module) -> list[Module]:
    """Modules a hub aggregates: those it re-exports from inside its package, plus the
    ones named by the convention (`*_models.py` beside `models.py`, or `models/*.py`)."""
    index = ctx.index
    package = index.hub_package(hub)
    names: set[str] = set()
    for binding in index.reexports(hub).values():
        if binding.source != hub.name and within(binding.source, package):
            names.add(binding.source)
    names.update(s for s in index.star_sources(hub) if s != hub.name and within(s, package))
    found = {m.path: m for m in (index.get(name, hub) for name in names) if m is not None}
    found.update((m.path, m) for m in named_feature_files(ctx, hub))
    return sorted((m for m in found.values() if not m.is_package), key=lambda m: m.name)


def named_feature_files(ctx: RuleContext, hub: Module) -> list[Module]:
    """Feature files by name beside a component hub: `invoice_models.py` next to
    `models.py`, or every module of a `models/` package."""
    component = hub.basename
    if component not in ctx.config.components:
        return []
    found = [
        candidate
        for candidate in ctx.index.children(ctx.index.hub_package(hub), hub)
        if candidate is not hub
        and not candidate.is_package
        and (hub.is_package or candidate.basename.endswith("_" + component))
    ]
    return sorted(found, key=lambda m: m.name)


def check_missing_reexports(ctx: RuleContext) -> Iterator[Finding]:
    """Public classes of a component hub's feature files that the hub does not re-export.
    Only hubs that are component hubs by content: `django.contrib.admin` names a few of
    its package's classes and is an app, not a hub of all of them."""
    index = ctx.index
    for hub in ctx.enclosing_hubs():
        if hub.basename not in ctx.config.components:
            continue
        features = named_feature_files(ctx, hub)
        if not is_component_hub(index, hub, features):
            continue
        exported = exported_definitions(index, hub)
        for feature in features:
            if ctx.only is not None and feature.path not in ctx.only:
                continue
            public = ctx.index.all_names(feature)  # a feature file's own `__all__` decides
            for definition in feature.summary.definitions.values():
                if definition.kind is not DefKind.CLASS or definition.name.startswith("_"):
                    continue
                if (feature.name, definition.name) in exported or (
                    public is not None and definition.name not in public
                ):
                    continue
                yield ctx.finding(
                    "missing-reexport",
                    feature,
                    _definition_span(definition),
                    f"`{definition.name}` is not re-exported by its hub `{hub.name}`",
                    symbol=f"{feature.name}.{definition.name}",
                    hub=hub.name,
                    name=definition.name,
                    source=feature.name,
                )


def _definition_span(definition: Definition) -> Span:
    start = definition.column + len("class ")
    return Span(definition.line, start, definition.line, start + len(definition.name))


def check_hub_self_imports(ctx: RuleContext) -> Iterator[Finding]:
    index = ctx.index
    for hub in ctx.enclosing_hubs():
        for feature in feature_files(ctx, hub):
            if ctx.only is not None and feature.path not in ctx.only:
                continue
            for statement in feature.summary.imports:
                if statement.context is not ImportContext.MODULE:
                    continue
                if hub in index.imported_modules(feature, statement):
                    yield ctx.finding(
                        "hub-self-import",
                        feature,
                        statement_span(statement),
                        f"`{feature.name}` imports its own hub `{hub.name}` at module level, "
                        "a circular import waiting to happen; import from the feature file, "
                        "or under `if TYPE_CHECKING:` / inside the function",
                        symbol=f"{feature.name}->{hub.name}",
                        hub=hub.name,
                    )
                    break
