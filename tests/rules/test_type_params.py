"""PEP 695 files read by `ast` after blanking (type_params.py) summarise exactly as the
LibCST path does: same definitions, kinds, lines, columns, imports and used names."""

from __future__ import annotations

import ast
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from test_modern_syntax import modules

from carve.core.gather_cst import gather_with_libcst
from carve.core.parse import _parse_blanked, summarize_text
from carve.core.type_params import blank_type_parameters

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="this interpreter's `ast` reads PEP 695 itself"
)


def assert_paths_agree(text: str) -> None:
    blanked = _parse_blanked(text)
    assert blanked is not None
    assert blanked == gather_with_libcst(text)


CASES = {
    "class and function": "class Box[T]:\n    def get[U](self, x: U) -> T: ...\n\n"
    "def first[T: int, *Ts, **P](x: T) -> T: ...\n",
    "type aliases": "type A = int\ntype Pair[T] = tuple[T, T]\nif True:\n    type B = str\n",
    "alias after another statement on its line": "x = 1; type x = int\n",
    "alias reading an imported TypeAlias": "from typing import TypeAlias\ntype A = int\n",
    "non-ASCII in parameters and names": "class Bøx[Ü]: ...\ntype Ärger = int\n"
    "é = 1; type Ω = int\n",
    "decorated, bases, keywords": "@dataclass\nclass C[T](Base, metaclass=M): ...\n"
    "async def f[T](): ...\n",
    "type as an ordinary name": "type = 1\nx = type(2)\nclass C[T]:\n    type: int\n",
    "parameters over several lines": "class C[\n    T,  # comment\n\n]:\n    pass\n"
    "def f[\r\n  T: (int, str)\r\n](x): ...\ntype A[\n T] = int\n",
    "CRLF line endings": "class C[T]:\r\n    pass\r\ntype A = int\r\n",
    "imports used inside the brackets only": "from m import Base\nclass C[T: Base]: ...\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=list(CASES))
def test_blanked_and_libcst_paths_agree(text: str) -> None:
    assert_paths_agree(text)


def test_a_statement_after_an_alias_keeps_its_real_column() -> None:
    """LibCST's rewrite `y: TypeAlias = str; z = 2` moves `z` to column 20."""
    summary = _parse_blanked("type y = str; z = 2\n")
    assert summary is not None
    assert summary.definitions["z"].column == 14


def test_columns_are_kept() -> None:
    blanked = blank_type_parameters("class Bøx[Ü](B): ...\ntype A[T] = list[T]\n")
    assert blanked is not None
    assert blanked.text == "class Bøx    (B): ...\nA         = list[T]\n"
    ast.parse(blanked.text)


@pytest.mark.parametrize(
    "text",
    [
        'class C[T]: ...\nx = f"{d["k"]}"\n',  # PEP 701 needs LibCST
        "x = 1\n",  # nothing to blank
    ],
)
def test_left_to_libcst(text: str) -> None:
    assert _parse_blanked(text) is None
    assert summarize_text(text).parse_error is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_generated_modules_agree(pair: tuple[str, str]) -> None:
    modern, _ = pair
    blanked = _parse_blanked(modern)
    if blanked is not None:  # other new syntax in the module: LibCST reads it all
        assert blanked == gather_with_libcst(modern)
