"""The feature-file naming convention: where a moved name lands by default.

`Invoice` in `apps/billing/models.py` → `apps.billing.invoice_models` (flat layout);
in `apps/billing/models/__init__.py` → `apps.billing.models.invoice` (package layout).
"""

from __future__ import annotations

import re

from carve.core.index import Module

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def snake_case(name: str) -> str:
    """`InvoiceLine` → `invoice_line`, `HTTPClient` → `http_client`, `cached_property` kept."""
    words = _WORD.findall(name.strip("_"))
    return "_".join(w.lower() for w in words) or name.lower().strip("_") or "feature"


def feature_of(name: str, component: str) -> str:
    """The feature a name belongs to: `InvoiceForm` in forms.py → `invoice`."""
    feature = snake_case(name)
    for suffix in _singulars(component):
        if feature.endswith("_" + suffix):
            return feature[: -len(suffix) - 1]
    return feature


def _singulars(component: str) -> list[str]:
    options = [component]
    if component.endswith("ies"):
        options.append(component[:-3] + "y")
    elif component.endswith("s"):
        options.append(component[:-1])
    return options


def default_destination(
    source: Module, names: tuple[str, ...], components: tuple[str, ...] = ()
) -> str:
    """The module the convention names for `names` leaving `source`."""
    if source.is_package:
        return f"{source.name}.{feature_of(names[0], source.basename)}"
    component = source.basename
    for candidate in components:  # leaving a feature file: `invoice_models` → `models`
        if component.endswith("_" + candidate):
            component = candidate
            break
    base = f"{feature_of(names[0], component)}_{component}"
    package = source.package
    return f"{package}.{base}" if package else base


def default_shared(source: Module, components: tuple[str, ...] = ()) -> str:
    """Where definitions both the moved and the staying code need are extracted to:
    `base_models` beside a flat `models.py` (or `invoice_models.py`), `models.base`
    inside a `models/` package."""
    if source.is_package:
        return f"{source.name}.base"
    package = source.package
    if package and package.rpartition(".")[2] in components:  # `models/invoice.py`
        return f"{package}.base"
    component = source.basename
    for candidate in components:
        if component.endswith("_" + candidate):
            component = candidate
            break
    base = f"base_{component}"
    return f"{package}.{base}" if package else base
