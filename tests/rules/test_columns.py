"""Columns count code points on the line Python's tokenizer sees (only \\n, \\r\\n, \\r end one)."""

from __future__ import annotations

import pytest

from carve.core.parse import summarize_text


@pytest.mark.parametrize("separator", ["\f", "\x1c", "\u2028", "\x85", "\v"])
def test_columns_after_a_character_str_splitlines_breaks_on(separator: str) -> None:
    # The separator sits in a comment and a string, where Python allows it; the line
    # after it must still be line 2 for the column conversion.
    text = f"x = 'a{separator}b'  # é{separator}\né = 1; from m import (ab, ç)\n"
    summary = summarize_text(text)
    assert summary.parse_error is None
    (imp,) = summary.imports
    line = text.split("\n")[1]
    assert imp.line == 2
    assert imp.column == line.index("from")
    assert [n.column for n in imp.names] == [line.index("ab"), line.index("ç")]
    assert summary.definitions["é"].column == 0


def test_crlf_and_cr_line_endings_still_convert() -> None:
    for newline in ("\r\n", "\r"):
        text = f"x = 'é'{newline}é = 1; from m import ç{newline}"
        (imp,) = summarize_text(text).imports
        assert (imp.line, imp.column, imp.names[0].column) == (2, 7, 21)


def test_only_non_ascii_lines_convert_even_inside_a_multi_line_import() -> None:
    """Conversion skips ASCII lines; a name on a non-ASCII line between an import's
    ASCII first and last lines still converts."""
    text = "from m import (\n    a,\n    é, ç,\n)\nx = 'ü'; y = 1\nz = 2\n"
    summary = summarize_text(text)
    (imp,) = summary.imports
    assert (imp.line, imp.column, imp.end_line, imp.end_column) == (1, 0, 4, 1)
    assert [(n.line, n.column, n.end_column) for n in imp.names] == [
        (2, 4, 5),
        (3, 4, 5),
        (3, 7, 8),
    ]
    assert [(d.line, d.column) for d in summary.definitions.values()] == [(5, 0), (5, 9), (6, 0)]
