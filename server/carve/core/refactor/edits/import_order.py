"""isort's order of import statements, as ruff applies it (`I001`).

Sections: future, standard library, third party, first party (the workspace's
top-level packages and `known-first-party`), local folder (relative imports). Within a
section, `import x` statements come before `from x import …` ones; modules compare in
natural, case-insensitive order, relative ones furthest first; names compare constants
first, then classes, then the rest (`order-by-type`).
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from carve.core.refactor.edits.project_style import ProjectStyle
from carve.core.summary import Import

FUTURE, STANDARD_LIBRARY, THIRD_PARTY, FIRST_PARTY, LOCAL_FOLDER = range(5)

Names = list[tuple[str, str | None]]  # (name, alias)
Natural = tuple[tuple[int, int | str], ...]
SortKey = tuple[object, ...]  # (section, …): compare only keys of one ImportOrder

_CHUNK = re.compile(r"[0-9]+|[^0-9]+")


def natural(text: str) -> Natural:
    """`natord` order: digit runs compare as numbers, the rest character by character."""
    return tuple(
        (ord("0"), int(chunk)) if chunk.isdigit() else (ord(chunk[0]), chunk)
        for chunk in _CHUNK.findall(text)
    )


def _optional(value: object | None) -> tuple[object, ...]:
    return (0,) if value is None else (1, value)


def member_key(name: str, alias: str | None = None) -> tuple[object, ...]:
    """A name in `from x import …`: star first, then CONSTANTS, Classes, functions."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return (name != "*", kind, natural(name.lower()), natural(name), _optional(alias))


@dataclass(frozen=True)
class ImportOrder:
    style: ProjectStyle
    in_workspace: Callable[[str], bool]

    def section(self, module: str, level: int = 0) -> int:
        if level:
            return LOCAL_FOLDER
        if module == "__future__":
            return FUTURE
        if _known(module, self.style.known_local_folder):
            return LOCAL_FOLDER
        if _known(module, self.style.known_first_party):
            return FIRST_PARTY
        if _known(module, self.style.known_third_party):
            return THIRD_PARTY
        if module.partition(".")[0] in sys.stdlib_module_names:
            return STANDARD_LIBRARY
        return FIRST_PARTY if self.in_workspace(module) else THIRD_PARTY

    def key(self, from_import: bool, module: str, level: int, names: Names) -> SortKey:
        """The statement's place: `import a.b as c` is (False, "", 0, [("a.b", "c")])."""
        section = self.section(module if from_import else names[0][0], level)
        kind = 0 if self.style.force_sort_within_sections else int(from_import)
        if from_import:
            first = min(member_key(n, a) for n, a in names) if names else None
            name, alias = module or None, None
        else:
            first, (name, alias) = None, names[0]
        return (
            section,
            kind,
            -level,
            _optional(natural(name.lower()) if name else None),
            _optional(natural(name) if name else None),
            _optional(first),
            _optional(natural(alias) if alias else None),
        )

    def key_of_text(self, text: str) -> SortKey:
        """The place of the (first) import statement in `text`."""
        node = ast.parse(textwrap.dedent(text).strip()).body[0]
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        return self.key_of_node(node)

    def key_of_node(self, node: ast.Import | ast.ImportFrom) -> SortKey:
        names = [(a.name, a.asname) for a in node.names]
        if isinstance(node, ast.ImportFrom):
            return self.key(True, node.module or "", node.level, names)
        return self.key(False, "", 0, names)


def statement_names(statement: Import) -> Names:
    """(name, alias) of each name an indexed import statement imports."""
    return [(n.name, n.alias) for n in statement.names]


def section_of(key: SortKey) -> object:
    return key[0]


def _known(module: str, known: frozenset[str]) -> bool:
    return any(module == k or module.startswith(k + ".") for k in known)
