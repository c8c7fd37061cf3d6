"""PEP 695 files read by `ast` after blanking (type_params.py) summarise exactly as the
LibCST path does: same definitions, kinds, lines, columns, imports and used names."""

from __future__ import annotations

import ast
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from test_modern_syntax import modules

from carve.core import parse
from carve.core.gather_cst import gather_with_libcst
from carve.core.parse import _parse_blanked, summarize_text
from carve.core.type_params import (
    Blanked,
    blank_by_pattern,
    blank_type_parameters,
    blanked_tree_matches,
)

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


# -- the pattern pass (blank_by_pattern) against the tokenizer pass -------------------------


def tokenizer_path(text: str) -> object:
    """`_parse_blanked` as it was before the pattern pass: the tokenizer decides."""
    blanked = blank_type_parameters(text)
    if blanked is None:
        return None
    try:
        tree = ast.parse(blanked.text)
    except SyntaxError:
        return None
    return blanked, ast.dump(tree, include_attributes=True)


def pattern_path(text: str) -> object:
    pattern = blank_by_pattern(text)
    if pattern is None:
        return "declined"
    try:
        tree = ast.parse(pattern.blanked.text)
    except SyntaxError:
        return "declined"
    if not blanked_tree_matches(tree, pattern):
        return "declined"
    return pattern.blanked, ast.dump(tree, include_attributes=True)


TRICKY = {
    "a docstring showing PEP 695": 'class C[T]:\n    """Use it as\n\nclass Box[U]: ...\n"""\n',
    "a comment showing PEP 695": "class C[T]: ...  # like class Box[U]: or type X = int\n",
    "alias after a colon (left to LibCST)": "class C[T]: ...\nif True: type A = int\n",
    "alias after a colon then a semicolon": "class C[T]: ...\nif True: x = 1; type A = int\n",
    "alias after a colon and a continuation": "class C[T]: ...\nif True: \\\n    type A = int\n",
    "alias after a semicolon and a continuation": "x = 1; \\\ntype A = int\n",
    "continuation between keyword, name and bracket": "class C \\\n  [T]: ...\n"
    "def \\\nf[T](): ...\n",
    "async def": "async def f[T](): ...\nasync  \tdef g[T](): ...\n"
    "class C:\n    async def h[T](self): ...\n",
    "string in the brackets": 'class C[T: "Base"]: ...\n',
    "keyword argument spelt like an alias": "class C[T]: ...\nf(\n  type=1)\n",
    "subscripted names ending in a keyword": "class C[T]: ...\nx = myclass[0] + subtype[1]\n",
    "non-ASCII before the keyword": "é = 1; type A = int\nclass Ü: pass\nclass Bøx[T]: ...\n",
    "nested and decorated": "@d\nclass C[T]:\n    def m[U](self): ...\n"
    "    class I[V]:\n        type A = V\n",
    "tabs and form feeds": "if True:\n\ttype A = int\n\x0cclass C[T]: ...\n",
    "alias inside a call (invalid)": "class C[T]: ...\nf(\n  type x = 1)\n",
    "unclosed bracket (invalid)": "class C[T: ...\n",
    "class assigned (invalid)": "class C[T]: ...\nclass X = 1\n",
    "two targets": "type A = B = int\n",
    "match and try around them": "match x:\n    case 1:\n        class C[T]: ...\n"
    "try:\n    type A = int\nexcept E:\n    def f[T](): ...\n",
}


@pytest.mark.parametrize(
    "text", [*CASES.values(), *TRICKY.values()], ids=[*CASES, *(f"tricky: {k}" for k in TRICKY)]
)
def test_pattern_pass_blanks_what_the_tokenizer_pass_blanks(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the pattern pass stands in for the tokenizer pass, the text, aliases and tree
    are the same; when it declines, the tokenizer pass decides as before."""
    found = pattern_path(text)
    if found != "declined":
        assert found == tokenizer_path(text)
    summary = _parse_blanked(text)
    monkeypatch.setattr(parse, "_blank_and_parse", _tokenizer_only)
    assert summary == _parse_blanked(text)


def _tokenizer_only(text: str) -> tuple[Blanked, ast.Module] | None:
    blanked = blank_type_parameters(text)
    if blanked is None:
        return None
    try:
        return blanked, ast.parse(blanked.text)
    except SyntaxError:
        return None


def test_pattern_pass_is_taken_on_plain_pep695() -> None:
    assert pattern_path(CASES["class and function"]) != "declined"
    assert pattern_path(TRICKY["a docstring showing PEP 695"]) == "declined"
    assert pattern_path(TRICKY["alias after a colon (left to LibCST)"]) == "declined"


def test_no_pattern_match_skips_the_tokenizer_pass() -> None:
    """A file `ast` rejects for other reasons (PEP 701) with no PEP 695 spelling at all."""
    assert blank_by_pattern('x = f"{d["k"]}"\n') is None
    assert _parse_blanked('x = f"{d["k"]}"\n') is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_generated_modules_pattern_pass(pair: tuple[str, str]) -> None:
    modern, _ = pair
    found = pattern_path(modern)
    if found != "declined":
        assert found == tokenizer_path(modern)


BOUND_READS = [
    "from m import Base\n\n\nclass C[T: Base]:\n    pass\n",
    "from m import Base\n\n\ndef first[T: (Base, int)](x: T) -> T:\n    return x\n",
    "from m import Base\n\ntype Boxed[T: Base] = list[T]\n",
    "from m import Base\n\n\nclass C[\n    T: Base,\n    *Ts,\n]:\n    pass\n",
]


@pytest.mark.parametrize("text", BOUND_READS)
def test_a_name_read_only_in_a_type_parameter_is_used(text: str) -> None:
    """`from m import Base` read only by a bound or constraint is a use, not a
    re-export, whichever path reads the file (3.12's `ast` counts it too)."""
    assert "Base" in summarize_text(text).used_names
    assert "Base" in gather_with_libcst(text).used_names
    blanked = _parse_blanked(text)
    assert blanked is not None and "Base" in blanked.used_names
