"""A spliced summary (the old one with the edited import statements re-read) equals a
full parse of the new text, or is not offered (None): never a different summary."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from carve.core.parse import summarize_text
from carve.core.summary import ModuleSummary
from carve.core.summary_splice import spliced_summary

Edit = tuple[int, int, str]

MODULE = """\
\"\"\"Doc.\"\"\"
from __future__ import annotations

import os  # carve: ignore[hub-bypass] kept
from billing.models.invoice import Invoice, Payment
from billing.models import (
    Customer,  # the customer
    Order,
)

try:
    from fast.json import dumps
except ImportError:
    from json import dumps

__all__ = ["Invoice", "Payment", "Customer", "Order", "dumps"]


def total(order: Order) -> int:
    from billing.models.invoice import Invoice
    from billing.models.line import Line  # carve: ignore[unresolved-import] why
    return Invoice, Line, os


class Report:
    \"\"\"Reads `Payment`.\"\"\"

    def run(self) -> None:
        try:
            from billing.models.invoice import Payment
        except ImportError:
            Payment = None
        print(Payment, Customer)


if __name__ == "__main__":
    from billing.cli import main
    main()
"""


def edit(text: str, *pairs: tuple[str, str]) -> tuple[str, list[Edit]]:
    """Replace each `old` (unique) by `new`: the new text and the edits."""
    edits = []
    for old, new in pairs:
        assert text.count(old) == 1, old
        start = text.index(old)
        edits.append((start, start + len(old), new))
    result, position, pieces = "", 0, []
    for start, end, new in sorted(edits):
        pieces += [text[position:start], new]
        position = end
    pieces.append(text[position:])
    result = "".join(pieces)
    return result, edits


def spliced(text: str, *pairs: tuple[str, str]) -> tuple[ModuleSummary | None, ModuleSummary]:
    new, edits = edit(text, *pairs)
    return spliced_summary(summarize_text(text), text, new, edits), summarize_text(new)


def test_moving_a_name_to_a_new_statement_below_splices() -> None:
    got, full = spliced(
        MODULE,
        (
            "from billing.models.invoice import Invoice, Payment",
            "from billing.models import Invoice",
        ),
        ("Order,\n)\n", "Order,\n)\nfrom billing.models import Payment\n"),
    )
    assert got is not None
    assert got == full


def test_a_function_level_import_rewritten_over_two_lines_splices() -> None:
    got, full = spliced(
        MODULE,
        (
            "    from billing.models.invoice import Invoice\n    from billing.models.line",
            "    from billing.models import (\n        Invoice,\n    )\n"
            "    from billing.models.line",
        ),
    )
    assert got is not None
    assert got == full


def test_an_import_guarded_by_try_keeps_its_guard() -> None:
    got, full = spliced(
        MODULE,
        (
            "            from billing.models.invoice import Payment",
            "            from billing.models import Payment",
        ),
    )
    assert got is not None and got == full
    assert any(s.in_try and s.module == "billing.models" for s in got.imports)


def test_a_whole_statement_removed_at_module_level_splices() -> None:
    got, full = spliced(MODULE, ("from billing.models.invoice import Invoice, Payment\n", ""))
    assert got is not None
    assert got == full


def test_the_last_statement_of_a_function_moves_its_end() -> None:
    text = "def f():\n    x = 1\n    from a.b import c\n\n\ndef g():\n    pass\n"
    got, full = spliced(
        text, ("    from a.b import c\n", "    from a import (\n        c,\n    )\n")
    )
    assert got is not None
    assert got == full


def test_a_newly_bound_name_needs_a_full_parse() -> None:
    got, _full = spliced(MODULE, ("import os  #", "import os, sys  #"))
    assert got is None


def test_an_edit_touching_other_code_needs_a_full_parse() -> None:
    got, _full = spliced(MODULE, ('__all__ = ["Invoice", ', "__all__ = ["))
    assert got is None
    got, _full = spliced(MODULE, ("    main()\n", "    main(1)\n"))
    assert got is None


def test_a_block_left_empty_needs_a_full_parse() -> None:
    text = "def f():\n    from a import b\n\n\nx = 1\n"
    got, full = spliced(text, ("    from a import b\n", ""))
    assert got is None
    assert full.parse_error is not None


def test_a_summary_older_than_the_text_is_not_spliced() -> None:
    text = "from a import b\nfrom c import d\n"
    new, edits = edit(text, ("from c import d", "from c.e import d"))
    stale = summarize_text("from a import b\n\nfrom c import d\n")
    assert spliced_summary(stale, text, new, edits) is None
    other = summarize_text("from a import b\nfrom c import x\n")
    assert spliced_summary(other, text, new, edits) is None


def test_suppressions_in_and_below_the_edit_follow_it() -> None:
    got, full = spliced(
        MODULE,
        ("import os  # carve: ignore[hub-bypass] kept\n", "import os\n"),
        ("from __future__ import annotations\n", "from __future__ import annotations\n\n"),
    )
    assert got is not None
    assert got == full
    assert [s.line for s in got.suppressions] == [s.line for s in full.suppressions]


def test_non_ascii_columns_are_code_points() -> None:
    text = "from a import b  # é\ndef f():\n    s = 'é'; from c.d import e\n    from c.d import é\n"
    got, full = spliced(text, ("    from c.d import é\n", "    from c import é\n"))
    assert got is not None
    assert got == full


_STATEMENTS = st.sampled_from(
    [
        "from billing.models import Invoice",
        "from billing.models import Invoice, Payment",
        "from billing.models import (\n{i}    Invoice,\n{i}    Payment,\n{i})",
        "from .invoice import Payment as Payment",
        "import os",
        "",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    place=st.sampled_from(list(range(8))),
    replacement=st.lists(_STATEMENTS, min_size=1, max_size=3),
)
def test_spliced_equals_a_full_parse(place: int, replacement: list[str]) -> None:
    """Whatever a stretch of imports becomes: the splice equals a full parse, or steps
    aside."""
    starts = [i for i, line in enumerate(MODULE.splitlines(keepends=True)) if "import " in line]
    lines = MODULE.splitlines(keepends=True)
    index = starts[place % len(starts)]
    line = lines[index]
    indent = line[: len(line) - len(line.lstrip())]
    end = index + 3 if "(" in line else index + 1  # a parenthesised import: all of it
    old = "".join(lines[index:end])
    new = "".join(f"{indent}{s.format(i=indent)}\n" for s in replacement if s)
    start = sum(len(x) for x in lines[:index])
    new_text = MODULE[:start] + new + MODULE[start + len(old) :]
    got = spliced_summary(
        summarize_text(MODULE), MODULE, new_text, [(start, start + len(old), new)]
    )
    if got is not None:
        assert got == summarize_text(new_text)
