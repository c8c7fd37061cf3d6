"""`--deprecate`: a hub whose re-exports warn (seed 002's "remove re-exports in the next
phase"). The `from .x import A as A` lines of a split become a PEP 562 module
`__getattr__` that raises a `DeprecationWarning` naming the new path; the feature files
are still imported when the hub is, so Django and SQLAlchemy keep registering models."""

from __future__ import annotations

import ast
from pathlib import Path

from carve.core.refactor.edits.dunder_all import dunder_all_node
from carve.core.refactor.edits.layout import ModuleLayout, bound_names, is_header_statement
from carve.core.refactor.edits.names import names_used
from carve.core.refactor.edits.splices import FileEdit, LineIndex, newline_of
from carve.core.refactor.request import MoveError

GETATTR = """\
_MOVED = {{
{entries}
}}


def __getattr__(name: str) -> object:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
    import importlib
    import warnings

    warnings.warn(
        f"{{__name__}}.{{name}} moved to {{module}}.{{name}}; import it from there",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(module), name)
"""


def deprecate_reexports(text: str, path: Path, moved: dict[str, str]) -> str:
    """`text` (a hub) with its re-exports of `moved` (name → module) turned into a
    warning `__getattr__`. Names the hub's own code still reads stay imported."""
    tree = ast.parse(text)
    _refuse_clashes(tree, path)
    lines = LineIndex(text)
    layout = ModuleLayout(tree, lines)
    used: set[str] = set()
    for unit in layout.units:
        if not is_header_statement(unit.node, unit.position):
            used |= names_used(unit.node)
    edit = FileEdit(text, lines)
    entries: dict[str, str] = {}
    modules: dict[str, str] = {}  # relative reference → module, for the eager imports
    first = 0  # where the eager imports go: the first re-export's place
    for unit in layout.units:
        node = unit.node
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        names = [(a.name, a.asname) for a in node.names]
        if not all(name in moved and alias == name and name not in used for name, alias in names):
            continue
        for name, _alias in names:
            entries[name] = moved[name]
        modules["." * node.level + node.module] = moved[names[0][0]]
        edit.delete_lines(unit.first_line, unit.last_line)
        first = first or unit.first_line
    if not entries:
        return text
    newline = newline_of(text)
    eager = "".join(_eager_import(reference) + newline for reference in sorted(modules))
    edit.insert(lines.start(first), eager)
    body = ",\n".join(f'    "{name}": "{module}"' for name, module in sorted(entries.items()))
    block = GETATTR.format(entries=body + ",").replace("\n", newline)
    return edit.result().rstrip("\r\n") + newline * 3 + block


def _refuse_clashes(tree: ast.Module, path: Path) -> None:
    """A star import reads `__all__`, never `__getattr__`; a hub's own `__getattr__` or
    `_MOVED` would be replaced."""
    if dunder_all_node(tree) is None:
        raise MoveError(
            "--deprecate needs a literal `__all__` in the hub: without it, `from hub import "
            "*` would lose the moved names; add one first",
            path,
        )
    for node in tree.body:
        names = bound_names(node)
        for name in ("__getattr__", "_MOVED"):
            if name in names:
                raise MoveError(
                    f"--deprecate would replace the hub's own `{name}`; rename it first",
                    path,
                    node.lineno,
                )


def _eager_import(reference: str) -> str:
    """`from . import invoice_models  # noqa: F401` for `.invoice_models`; an absolute
    `pkg.invoice_models` as `import pkg.invoice_models  # noqa: F401`."""
    if reference.startswith("."):
        dots = len(reference) - len(reference.lstrip("."))
        parent, _, base = reference[dots:].rpartition(".")
        return f"from {'.' * dots}{parent} import {base}  # noqa: F401  (registers its code)"
    return f"import {reference}  # noqa: F401  (registers its code)"
