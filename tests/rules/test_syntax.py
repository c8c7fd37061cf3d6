"""Syntax newer than the running interpreter is still indexed (LibCST fallback on 3.11)."""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest

from carve.core.index import Outcome
from carve.core.parse import summarize_text
from carve.core.summary import DefKind, ImportContext

from conftest import build_index, check, make_project, where

MODERN = '''\
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.a_models import A


class Box[T]:
    def get[U](self, other: U) -> T | U: ...


def first[T](items: list[T]) -> T:
    return items[0]


type Pair[T] = tuple[T, T]
type Number = int | float


class Default[T = int]: ...


def describe(value: object) -> str:
    from pkg.lazy_models import Lazy

    match value:
        case Lazy():
            return f"{value.__dict__["name"]!r:>{10}}"
        case {"key": str(k)}:
            return f"""{
                k
            }"""
    return t"{value}".strings[0]


try:
    import fast
except ValueError, TypeError:
    fast = None


LAST = 1
'''


def test_modern_module_is_parseable_by_this_interpreter_or_not() -> None:
    """Documents which path the test below exercises."""
    try:
        ast.parse(MODERN)
        native = True
    except SyntaxError:
        native = False
    assert native is (sys.version_info >= (3, 14))


def test_modern_syntax_is_indexed_with_lines() -> None:
    s = summarize_text(MODERN)
    assert s.parse_error is None
    kinds = {name: (d.kind, d.line) for name, d in s.definitions.items()}
    assert kinds == {
        "Box": (DefKind.CLASS, 7),
        "first": (DefKind.FUNCTION, 11),
        "Pair": (DefKind.TYPE_ALIAS, 15),
        "Number": (DefKind.TYPE_ALIAS, 16),
        "Default": (DefKind.CLASS, 19),
        "describe": (DefKind.FUNCTION, 22),
        "fast": (DefKind.VARIABLE, 38),
        "LAST": (DefKind.VARIABLE, 41),
    }
    imports = {i.names[0].name: (i.context, i.line, i.in_try) for i in s.imports}
    assert imports == {
        "TYPE_CHECKING": (ImportContext.MODULE, 1, False),
        "A": (ImportContext.TYPE_CHECKING, 4, False),
        "Lazy": (ImportContext.LAZY, 23, False),
        "fast": (ImportContext.MODULE, 36, True),
    }
    assert "Lazy" in s.used_names  # the `case Lazy():` pattern reads it


def test_an_import_read_only_inside_a_modern_f_string_is_a_use() -> None:
    s = summarize_text('from m import k\n\ntype A = int\nx = f"{d["k"]!r:>{k}}"\n')
    assert s.used_names == {"k"}  # only imported names are kept


def test_modern_feature_file_behind_a_hub(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a_models.py": "class A: ...\n",
        "pkg/lazy_models.py": "class Lazy: ...\n",
        "pkg/box_models.py": MODERN,
        "pkg/models.py": """
            from .a_models import A as A
            from .box_models import Box as Box, Pair as Pair, Number as Number
            from .box_models import Default as Default
            from .box_models import Gone as Gone
            from .lazy_models import Lazy as Lazy
        """,
        "app.py": "from pkg.box_models import Box\nfrom pkg.models import first\n",
    }
    root = make_project(tmp_path, files)
    index = build_index(root)
    assert index.resolve("pkg.models", "Pair").outcome is Outcome.DEFINED
    findings = check(root)
    assert where(findings, root) == [
        ("hub-bypass", "app.py", 1),
        ("unresolved-import", "app.py", 2),
        ("broken-reexport", "pkg/models.py", 4),
    ]


@pytest.mark.parametrize(
    "text",
    [
        'x = f"{d["a"]}"\n',
        'x = f"{f"{f"{1}"}"}"\n',
        'x = f"{a!r}" f"{b:{c}}" "plain"\n',
        "x = f'''\n{y}\n'''\n",
    ],
)
def test_pep_701_f_strings(text: str) -> None:
    s = summarize_text(text + "z = 1\n")
    assert s.parse_error is None
    assert s.definitions["z"].line == text.count("\n") + 1


def test_real_syntax_error_in_new_syntax_file_is_reported() -> None:
    s = summarize_text(textwrap.dedent("class Box[T]:\n    pass\ndef f(:\n"))
    assert s.parse_error is not None
    line, _column, message = s.parse_error
    assert line == 3
    assert message.startswith("syntax error: expected one of )")
