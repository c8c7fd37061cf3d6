"""Strings around a move (Django's own test suite found these): an ordinary string is
never a use, a string handed to `eval` or written as an annotation is code, a string
that names a binding by its dotted path (`mock.patch`) keeps it, and moved code that
names its old module path is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from move_harness import apply, assert_all_parse, make_project, plan, problems, run_python

TIMEZONE = {
    "pkg/__init__.py": "",
    "pkg/utils/__init__.py": "",
    "pkg/utils/formats.py": "def fmt(value):\n    return str(value)\n",
    "pkg/utils/timezone.py": """
        import datetime


        def localtime():
            return datetime.datetime(2000, 1, 1)


        def now():
            return datetime.datetime(2001, 1, 1)
    """,
    "pkg/db/__init__.py": "",
}


def move_now(tmp_path: Path, files: dict[str, str]) -> tuple[Path, list[str]]:
    root = make_project(tmp_path, {**TIMEZONE, **files})
    changes = plan(root, "pkg.utils.timezone", ("now",), "pkg.utils.clock", "direct")
    apply(root, changes)
    assert_all_parse(root)
    assert not problems(root)
    return root, changes.warnings


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


def test_an_ordinary_string_is_not_a_use(tmp_path: Path) -> None:
    questioner = (
        "from pkg.utils import timezone\n\n\n"
        "def default():\n"
        "    print(timezone.localtime())\n"
        '    return "timezone.now"\n'
    )
    root, _ = move_now(tmp_path, {"pkg/db/questioner.py": questioner})
    assert read(root, "pkg/db/questioner.py") == questioner


def test_a_module_read_inside_eval_keeps_its_import(tmp_path: Path) -> None:
    importer = (
        "import pkg.utils.timezone as tz\n\n\n"
        "def stamp():\n"
        "    return tz.now()\n\n\n"
        "def stamp_by_name():\n"
        '    return eval("tz.now()")\n'
    )
    root, _ = move_now(tmp_path, {"pkg/db/stamps.py": importer})
    text = read(root, "pkg/db/stamps.py")
    assert "import pkg.utils.timezone as tz\n" in text
    assert "clock.now()" in text
    out = run_python(root, "from pkg.db import stamps; print(stamps.stamp_by_name().year)")
    assert out == "2001\n"


JOINS = {
    # `timezone` still read: the new module joins the statement beside it
    "beside": (
        "formats.fmt(timezone.localtime()), timezone.now()",
        "clock, formats, timezone",
        "formats.fmt(timezone.localtime()), clock.now()",
    ),
    # read only for the moved name: replaced in place
    "in place": ("formats.fmt(timezone.now())", "clock, formats", "formats.fmt(clock.now())"),
}


@pytest.mark.parametrize("case", sorted(JOINS))
def test_a_new_module_import_joins_the_statement_of_the_old_one(tmp_path: Path, case: str) -> None:
    before, names, after = JOINS[case]
    stamps = "from pkg.utils import formats, timezone\n\n\ndef stamp():\n    return {}\n"
    root, _ = move_now(tmp_path, {"pkg/db/stamps.py": stamps.format(before)})
    expected = f"from pkg.utils import {names}\n\n\ndef stamp():\n    return {after}\n"
    assert read(root, "pkg/db/stamps.py") == expected


def test_string_annotations_are_rewritten_with_the_code(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/models.py": "class Customer:\n    pass\n\n\nclass Invoice:\n    pass\n",
        "pkg/totals.py": (
            "from pkg import models\n\n\n"
            'def total(inv: "models.Invoice") -> "list[models.Invoice]":\n'
            "    return [models.Invoice()]\n"
        ),
    }
    root = make_project(tmp_path, files)
    apply(root, plan(root, "pkg.models", ("Invoice",), "pkg.invoice_models", "direct"))
    assert read(root, "pkg/totals.py") == (
        "from pkg import invoice_models\n\n\n"
        'def total(inv: "invoice_models.Invoice") -> "list[invoice_models.Invoice]":\n'
        "    return [invoice_models.Invoice()]\n"
    )
    script = "import typing, pkg.totals as t; print(sorted(typing.get_type_hints(t.total)))"
    assert run_python(root, script) == "['inv', 'return']\n"


PATCHED_TEST = """
    from unittest import mock

    from pkg.db import schema


    @mock.patch("pkg.db.schema.timezone")
    def test_default(mocked):
        mocked.now.return_value = 5
        assert schema.effective_default() == 5


    def test_object():
        with mock.patch.object(schema, "timezone") as mocked:
            mocked.now.return_value = 6
            assert schema.effective_default() == 6


    test_default()
    test_object()
"""

SCHEMA = "from pkg.utils import timezone\n\n\ndef effective_default():\n    return timezone.now()\n"


def test_a_binding_patched_by_name_is_kept(tmp_path: Path) -> None:
    files = {"pkg/db/schema.py": SCHEMA, "tests/test_schema.py": PATCHED_TEST}
    root, warnings = move_now(tmp_path, files)
    assert read(root, "pkg/db/schema.py") == SCHEMA
    assert any(
        "pkg/db/schema.py" in w and "tests/test_schema.py:6" in w and "`timezone`" in w
        for w in warnings
    ), warnings
    run_python(root, "import tests.test_schema")


def test_patch_object_alone_keeps_the_binding(tmp_path: Path) -> None:
    test = (
        "from unittest import mock\n\n"
        "from pkg.db import schema\n\n"
        'with mock.patch.object(schema, "timezone") as mocked:\n'
        "    mocked.now.return_value = 6\n"
        "    assert schema.effective_default() == 6\n"
    )
    files = {"pkg/db/schema.py": SCHEMA, "tests/test_schema.py": test}
    root, warnings = move_now(tmp_path, files)
    assert read(root, "pkg/db/schema.py") == SCHEMA
    assert any("tests/test_schema.py:5" in w and "pkg/db/schema.py" in w for w in warnings)
    run_python(root, "import tests.test_schema")


QUERY_UTILS = {
    "pkg/__init__.py": "",
    "pkg/query_utils.py": '''
        """Query helpers."""


        class Q:
            def deconstruct(self):
                path = "%s.%s" % (self.__class__.__module__, self.__class__.__name__)
                if path.startswith("pkg.query_utils"):
                    path = path.replace("pkg.query_utils", "pkg")
                return path
    ''',
}


def test_moved_code_naming_its_old_module_is_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path, QUERY_UTILS)
    changes = plan(root, "pkg.query_utils", ("Q",), "pkg.q_utils", "keep")
    apply(root, changes)
    lines = read(root, "pkg/q_utils.py").splitlines()
    module_line = 1 + next(i for i, line in enumerate(lines) if "__module__" in line)
    path_line = 1 + next(i for i, line in enumerate(lines) if "startswith" in line)
    text = "\n".join(changes.warnings)
    assert f"pkg/q_utils.py:{module_line}: " in text and "`__module__`" in text
    assert f"pkg/q_utils.py:{path_line}: " in text and '"pkg.query_utils"' in text


def test_string_warning_lines_refer_to_the_written_file(tmp_path: Path) -> None:
    files = {
        "pkg/utils/timezone.py": """
            import datetime


            def now():
                return datetime.datetime(2001, 1, 1)


            def patch_target():
                return "pkg.utils.timezone.now"
        """,
    }
    root, warnings = move_now(tmp_path, files)
    lines = read(root, "pkg/utils/timezone.py").splitlines()
    line = 1 + next(i for i, text in enumerate(lines) if '"pkg.utils.timezone.now"' in text)
    assert any(w.startswith(f"pkg/utils/timezone.py:{line}: ") for w in warnings), warnings
