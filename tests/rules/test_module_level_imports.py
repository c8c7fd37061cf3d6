"""Which imports run at import time, and which are guarded against ImportError, as
Python sees them: `if __name__ == "__main__":` blocks run only as a script; a
`try/except ImportError` (or `with raises(ImportError):`) inside a function guards too."""

from __future__ import annotations

import textwrap
from pathlib import Path

from carve.core.parse import summarize_text
from carve.core.summary import ImportContext, ModuleSummary

from conftest import check, make_project, where


def summary(text: str) -> ModuleSummary:
    return summarize_text(textwrap.dedent(text).lstrip("\n"))


def contexts(s: ModuleSummary) -> dict[str, tuple[ImportContext, bool]]:
    return {i.names[0].name: (i.context, i.in_try) for i in s.imports}


def test_main_block_imports_are_lazy_and_define_nothing() -> None:
    s = summary(
        """
        from .style import Style

        if __name__ == "__main__":
            from .text import Text
            DEMO = Text()
        elif "__main__" == __name__:
            pass
        else:
            from .other import Other
        """
    )
    found = contexts(s)
    assert found["Style"] == (ImportContext.MODULE, False)
    assert found["Text"] == (ImportContext.LAZY, False)
    assert found["Other"] == (ImportContext.MODULE, False)
    assert "DEMO" not in s.definitions


def test_reversed_main_guard() -> None:
    s = summary('if "__main__" == __name__:\n    import app\n')
    assert contexts(s)["app"][0] is ImportContext.LAZY


def test_main_block_makes_no_cycle(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "rich/__init__.py": "",
            "rich/text.py": "from .color import Color\n\nclass Text: ...\n",
            "rich/color.py": (
                "class Color: ...\n\n"
                'if __name__ == "__main__":\n'
                "    from .text import Text\n"
                "    print(Text())\n"
            ),
        },
    )
    assert check(root, select=["import-cycle"]) == []


def test_function_level_guards_mark_imports_in_try() -> None:
    s = summary(
        """
        def a():
            try:
                import ujson as json
            except ImportError:
                import json

        def b():
            try:
                from fast import speed
            except (ValueError, ModuleNotFoundError):
                pass

        def c():
            try:
                from strict import thing
            except KeyError:
                pass

        def test_missing():
            with pytest.raises(ImportError):
                from optional import feature
            with raises(ImportError, match="x"):
                import other_optional
            with suppress(ImportError):
                import third_optional
            with open("f"):
                import unguarded
        """
    )
    found = contexts(s)
    assert found["ujson"] == (ImportContext.LAZY, True)
    assert found["json"] == (ImportContext.LAZY, True)
    assert found["speed"] == (ImportContext.LAZY, True)
    assert found["thing"] == (ImportContext.LAZY, False)
    assert found["feature"] == (ImportContext.LAZY, True)
    assert found["other_optional"] == (ImportContext.LAZY, True)
    assert found["third_optional"] == (ImportContext.LAZY, True)
    assert found["unguarded"] == (ImportContext.LAZY, False)


def test_function_level_fallback_is_not_unresolved(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": "class Invoice: ...\n",
            "app/compat.py": """
                def load():
                    try:
                        from app.models import Coupon
                    except ImportError:
                        Coupon = None
                    return Coupon

                def broken():
                    from app.models import Refund
                    return Refund
                """,
            "tests/test_optional.py": """
                import pytest

                def test_gone():
                    with pytest.raises(ImportError):
                        from app.models import Coupon
                """,
        },
    )
    found = where(check(root, select=["unresolved-import"]), root)
    assert found == [("unresolved-import", "app/compat.py", 9)]
