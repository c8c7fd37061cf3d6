"""Syntax newer than this interpreter, in any position, summarises like its older spelling.

Python here may be 3.11, whose `ast` rejects PEP 695/701/750/758: such files take the
LibCST path and are rewritten statement by statement (older_syntax.py). Each case below
pairs a modern module with the same module stripped of the new syntax by hand, keeping
every line where it was; both must give the same summary.
"""

from __future__ import annotations

import ast
import textwrap

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from carve.core.parse import summarize_text
from carve.core.summary import ModuleSummary


def assert_same_summary(modern: str, old: str) -> ModuleSummary:
    ast.parse(old)  # the hand-stripped spelling is valid on this interpreter
    expected = summarize_text(old)
    assert expected.parse_error is None
    summary = summarize_text(modern)
    assert summary.parse_error is None, summary.parse_error
    assert summary == expected
    return summary


CASES = {
    "concatenated f-string after a type alias": (
        'type A = int\nx = "a" f"{b}"\nz = 1\n',
        'A: TypeAlias = int\nx = "a" f"{b}"\nz = 1\n',
    ),
    "f-string first in the concatenation": (
        'type A = int\nx = f"{b}" "a" f"{c}" \\\n    "d"\nz = 1\n',
        'A: TypeAlias = int\nx = f"{b}" "a" f"{c}" \\\n    "d"\nz = 1\n',
    ),
    "parenthesised multi-line concatenation": (
        'type A = int\nx = (\n    "a"\n    f"{b}"\n)\nfrom m import z\n',
        'A: TypeAlias = int\nx = (\n    "a"\n    f"{b}"\n)\nfrom m import z\n',
    ),
    "space after the type parameters of a function": (
        "def f[T] (): ...\nz = 1\n",
        "def f (): ...\nz = 1\n",
    ),
    "spaces inside and after the type parameters of a class": (
        "class C[ T ] :\n    pass\nz = 1\n",
        "class C :\n    pass\nz = 1\n",
    ),
    "concatenated t-strings": (
        'x = t"a" t"{b}" t"c"\nz = 1\n',
        'x = f"a" f"{b}" f"c"\nz = 1\n',
    ),
    "raw t-string with tr prefix": (
        "x = tr'a {b}'\ny = Tr'{c}' TR'd'\nz = 1\n",
        "x = rf'a {b}'\ny = Rf'{c}' RF'd'\nz = 1\n",
    ),
    "generic method with f-strings and concatenation in its body": (
        """\
        class Box[T]:
            def get[U] (self, other: U) -> T | U:
                from pkg.lazy import helper
                name = "a" f"{self.__dict__["k"]}" "b"
                return helper(f"{other!r:>{width}}" "x")
        z = 1
        """,
        """\
        class Box:
            def get (self, other: U) -> T | U:
                from pkg.lazy import helper
                name = "a" f"{self.__dict__['k']}" "b"
                return helper(f"{other!r:>{width}}" "x")
        z = 1
        """,
    ),
    "generic nested function": (
        """\
        def outer() -> None:
            def inner[T: int, *Ts, **P](x: T) -> T:
                from pkg.deep import thing
                return f"{x}" "y"
            return None
        from pkg import last
        """,
        """\
        def outer() -> None:
            def inner(x: T) -> T:
                from pkg.deep import thing
                return f"{x}" "y"
            return None
        from pkg import last
        """,
    ),
    "type parameters over several lines": (
        """\
        class C[
            T,
            U: int,
        ](Base):
            def m[
                V
            ](self) -> V:
                from a import b
        type Alias[
            T,
        ] = list[T]
        from c import d
        """,
        """\
        class C(


        Base):
            def m(

            self) -> V:
                from a import b
        Alias: (

        TypeAlias) = list[T]
        from c import d
        """,
    ),
}


@pytest.mark.parametrize("modern, old", CASES.values(), ids=list(CASES))
def test_modern_syntax_summarises_like_its_older_spelling(modern: str, old: str) -> None:
    assert_same_summary(textwrap.dedent(modern), textwrap.dedent(old))


def test_only_string_prefixes_are_rewritten() -> None:
    """`tr'…'` is read as `rf'…'`; words ending in t/tr before a string are not prefixes."""
    text = "from m import b\ntype A = int\n__all__ = ['tr', \"attr\", 'str']\nx = tr'{b}'\n"
    summary = summarize_text(text)
    assert summary.dunder_all == ("tr", "attr", "str")
    assert "b" in summary.used_names


# Building blocks of generated modules: (modern, old) pairs with identical line layouts.
STRINGS = [
    ('"a" f"{b}"', '"a" f"{b}"'),
    ('f"{b}" "a"', 'f"{b}" "a"'),
    ('f"{d["k"]}" "c" f"{e}"', 'f"{d[\'k\']}" "c" f"{e}"'),
    ('t"a" t"{b}"', 'f"a" f"{b}"'),
    ("tr'a {b}'", "rf'a {b}'"),
    ('t"{b!r:>{w}}"', 'f"{b!r:>{w}}"'),
    ('(\n"a"\nf"{b}"\n)', '(\n"a"\nf"{b}"\n)'),
    ('"plain" "strings"', '"plain" "strings"'),
    ('f"{f"{b}"}"', "f\"{f'{b}'}\""),
]
TYPE_PARAMS = [
    ("[T]", ""),
    ("[ T ] ", " "),
    ("[T: int, *Ts, **P]", ""),
    ("[\nT,\n]", "(\n\n"),  # multi-line: the hand-stripped form keeps the lines in parens
]


@st.composite
def strings(draw: st.DrawFn, i: int, indent: str) -> tuple[str, str]:
    modern, old = draw(st.sampled_from(STRINGS))
    return _names(modern, i, indent), _names(old, i, indent)


def _names(code: str, i: int, indent: str) -> str:
    for name in ("b", "d", "e", "w"):
        code = code.replace("{" + name, "{" + f"{name}{i}")
    return code.replace("\n", "\n" + indent + "    ")


def _with_params(head: str, params: tuple[str, str], rest: str) -> tuple[str, str]:
    """`head[params]rest` and its stripped twin; a multi-line parameter list leaves its
    lines inside the parentheses that follow (or new ones, for a class without bases)."""
    modern, old = params
    if "\n" not in modern:
        return head + modern + rest, head + old + rest
    opened = rest.startswith("(")
    stripped = head + old + (rest[1:] if opened else "):" + rest.partition(":")[2])
    return head + modern + rest, stripped


@st.composite
def function(draw: st.DrawFn, i: int, indent: str, method: bool) -> tuple[str, str]:
    params = draw(st.sampled_from(TYPE_PARAMS)) if draw(st.booleans()) else ("", "")
    self_param = "self, " if method else ""
    head, head_old = _with_params(f"def f{i}", params, f"({self_param}x: T) -> T:")
    body_modern, body_old = draw(strings(i, indent + "    "))
    inner = f"{indent}    from pkg.lazy{i} import helper{i}\n{indent}    return {{}}\n"
    nested = ("", "")
    if not method and len(indent) < 8 and draw(st.booleans()):
        nested = draw(function(i + 100, indent + "    ", method=False))
    return (
        f"{indent}{head}\n{nested[0]}{inner.format(body_modern)}",
        f"{indent}{head_old}\n{nested[1]}{inner.format(body_old)}",
    )


@st.composite
def statement(draw: st.DrawFn, i: int) -> tuple[str, str]:
    kind = draw(st.sampled_from(["class", "function", "alias", "assign", "except"]))
    if kind == "class":
        params = draw(st.sampled_from(TYPE_PARAMS))
        bases = draw(st.sampled_from(["", "(Base)"]))
        head, head_old = _with_params(f"class C{i}", params, f"{bases}:")
        method = draw(function(i, "    ", method=True))
        return f"{head}\n{method[0]}", f"{head_old}\n{method[1]}"
    if kind == "function":
        return draw(function(i, "", method=False))
    if kind == "alias":
        params = draw(st.sampled_from(TYPE_PARAMS[:3]))
        modern = f"type A{i}{params[0].strip()} = list[int]\n"
        return modern, f"A{i}: TypeAlias = list[int]\n"
    if kind == "assign":
        modern, old = draw(strings(i, ""))
        return f"x{i} = {modern}\n", f"x{i} = {old}\n"
    body = "try:\n    import fast\nexcept {}:\n    fast = None\n"
    return body.format("A, B"), body.format("(A, B)")


@st.composite
def modules(draw: st.DrawFn) -> tuple[str, str]:
    count = draw(st.integers(min_value=1, max_value=5))
    pairs = [draw(statement(i)) for i in range(count)]
    trailer = "from pkg.end import last\nLAST = 1\n"
    return (
        "".join(m for m, _ in pairs) + trailer,
        "".join(o for _, o in pairs) + trailer,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_generated_modern_modules_summarise_like_their_older_spelling(
    pair: tuple[str, str],
) -> None:
    modern, old = pair
    assume(modern != old)
    assert_same_summary(modern, old)
