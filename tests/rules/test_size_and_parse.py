"""file-too-long, too-many-classes and parse-error (syntax, encodings, binary, huge files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from carve.core.parse import MAX_PARSE_BYTES

from conftest import check, make_project, where


def _classes(count: int) -> str:
    return "".join(f"class C{i}:\n    pass\n\n\n" for i in range(count))


def test_file_too_long_gives_counts(tmp_path: Path) -> None:
    text = _classes(3) + "def f():\n    pass\n\n\n" + "x = 1\n" * 20
    root = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": text}, "max-lines = 20")
    findings = check(root, ["file-too-long"])
    assert where(findings, root) == [("file-too-long", "pkg/big.py", 1)]
    assert findings[0].message.startswith(
        "36 lines (max 20) with 3 top-level classes and 1 functions"
    )


def test_file_at_the_limit_is_fine(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"pkg/ok.py": "x = 1\n" * 20}, "max-lines = 20")
    assert check(root, ["file-too-long"]) == []


def test_default_max_lines_is_500(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"a.py": "x = 1\n" * 500, "b.py": "x = 1\n" * 501})
    assert where(check(root, ["file-too-long"]), root) == [("file-too-long", "b.py", 1)]


def test_too_many_classes_counts_top_level_classes_only(tmp_path: Path) -> None:
    nested = "class Outer:\n    class Inner1: ...\n    class Inner2: ...\n"
    guarded = "import sys\nif sys.version_info >= (3, 11):\n    class Guarded: ...\n"
    files = {
        "few.py": _classes(2) + nested,  # 3 top-level classes
        "many.py": _classes(3) + guarded,  # 4 top-level classes
    }
    root = make_project(tmp_path, files, "max-classes = 3")
    findings = check(root, ["too-many-classes"])
    assert where(findings, root) == [("too-many-classes", "many.py", 1)]
    assert findings[0].message == "4 top-level classes (max 3)"


def test_default_max_classes_is_12(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"a.py": _classes(12), "b.py": _classes(13)})
    assert where(check(root, ["too-many-classes"]), root) == [("too-many-classes", "b.py", 1)]


# -- parse-error -----------------------------------------------------------------------------


HUB = {
    "pkg/__init__.py": "",
    "pkg/models.py": "from .a_models import A as A\nfrom .gone_models import G as G\n",
    "pkg/a_models.py": "class A: ...\n",
}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("x = 1\ndef f(:\n    pass\n", 2, "syntax error"),
        ("x = (\n", 1, "never closed"),
        ("class A:\npass\n", 2, "indented block"),
    ],
)
def test_syntax_error_is_reported_and_the_rest_still_checked(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    root = make_project(tmp_path, {**HUB, "pkg/bad.py": text})
    findings = check(root)
    assert where(findings, root) == [
        ("parse-error", "pkg/bad.py", line),
        ("broken-reexport", "pkg/models.py", 2),
    ]
    assert words in findings[0].message


def test_pep_263_latin_1_file_is_decoded(tmp_path: Path) -> None:
    text = "# -*- coding: latin-1 -*-\nname = 'café'\n\n\nclass Café:\n    pass\n"
    files = {
        "pkg/__init__.py": "",
        "pkg/legacy.py": text.encode("latin-1"),
        "pkg/models.py": "from .legacy import Café as Café, name as name\n",
    }
    root = make_project(tmp_path, files)
    assert check(root) == []


def test_undecodable_bytes_give_a_clear_message(tmp_path: Path) -> None:
    files = {**HUB, "pkg/bad.py": b"x = 1\ny = '\xff\xfe'\n"}
    root = make_project(tmp_path, files)
    findings = check(root)
    assert where(findings, root) == [
        ("parse-error", "pkg/bad.py", 2),
        ("broken-reexport", "pkg/models.py", 2),
    ]
    assert findings[0].message.startswith("cannot decode as utf-8: invalid start byte")
    assert "PEP 263" in findings[0].message


def test_undecodable_first_line_is_not_called_an_encoding_declaration(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"bad.py": b"x = '\xff'\n"})
    (finding,) = check(root)
    assert finding.message.startswith("cannot decode as utf-8")


def test_wrong_coding_cookie(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"bad.py": b"# -*- coding: klingon -*-\nx = 1\n"})
    (finding,) = check(root)
    assert (finding.rule, finding.span.line) == ("parse-error", 1)
    assert "encoding" in finding.message


def test_binary_file_with_py_suffix(tmp_path: Path) -> None:
    files = {**HUB, "pkg/blob.py": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}
    root = make_project(tmp_path, files)
    findings = check(root)
    assert where(findings, root) == [
        ("parse-error", "pkg/blob.py", 1),
        ("broken-reexport", "pkg/models.py", 2),
    ]
    assert "binary" in findings[0].message


def test_huge_file_is_not_parsed_but_reported(tmp_path: Path) -> None:
    line = "VALUE_%07d = 'x'\n"
    count = MAX_PARSE_BYTES // len(line % 0) + 10
    files = {
        "pkg/__init__.py": "",
        "pkg/generated.py": "".join(line % i for i in range(count)),
        "pkg/use.py": "from pkg.generated import VALUE_0000001, ANYTHING\n",
    }
    root = make_project(tmp_path, files, "max-lines = 100000000")
    findings = check(root)
    assert where(findings, root) == [("parse-error", "pkg/generated.py", 1)]
    assert "not indexed: 5.0 MB is over the 5 MB parse limit" in findings[0].message


def test_parse_error_severity_can_be_lowered(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, {"bad.py": "def (:\n"}, '[tool.carve.severity]\nparse-error = "info"'
    )
    (finding,) = check(root)
    assert finding.severity.value == "info"
