"""Resolution a type checker or Python's import system would accept: TYPE_CHECKING-only
re-imports (pydantic) and modules whose names are dynamic (PEP 562 `__getattr__` in any
form, a module replaced in `sys.modules`: celery)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check, make_project, where


def test_type_checking_import_through_a_type_checking_import(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/main.py": "class BaseModel: ...\n",
            "pkg/a.py": """
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from .main import BaseModel
                """,
            "pkg/b.py": """
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from .a import BaseModel

                def f(m: "BaseModel") -> None: ...
                """,
            "pkg/c.py": "from .a import BaseModel\n",  # at runtime, a has no BaseModel
        },
    )
    found = where(check(root, select=["unresolved-import"]), root)
    assert found == [("unresolved-import", "pkg/c.py", 1)]


GETATTR_FORMS = {
    "in_if": """
        import sys

        if sys.version_info >= (3, 7):
            def __getattr__(name): ...
        else:
            pass
        """,
    "assigned": """
        from ._migration import getattr_migration

        __getattr__ = getattr_migration(__name__)
        """,
    "imported": "from ._lazy import __getattr__\n",
    "sys_modules": "import sys\n\nsys.modules[__name__] = object()\n",
    "recreated": """
        from . import local

        old_module, new_module = local.recreate_module(__name__, by_module={})
        """,
}


@pytest.mark.parametrize("form", sorted(GETATTR_FORMS))
def test_dynamic_module_resolves_every_name(tmp_path: Path, form: str) -> None:
    root = make_project(
        tmp_path,
        {
            "celery/__init__.py": GETATTR_FORMS[form],
            "celery/_migration.py": "def getattr_migration(name): ...\n",
            "celery/_lazy.py": "def __getattr__(name): ...\n",
            "celery/local.py": "def recreate_module(name, **kw): ...\n",
            "app.py": "from celery import shared_task, Celery\n",
        },
    )
    assert check(root, select=["unresolved-import"]) == []


def test_get_logger_of_name_is_not_a_dynamic_module(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "pkg/__init__.py": "import logging\n\nlogger = logging.getLogger(__name__)\n",
            "app.py": "from pkg import missing\n",
        },
    )
    assert where(check(root, select=["unresolved-import"]), root) == [
        ("unresolved-import", "app.py", 1)
    ]


def test_name_bound_through_global_in_a_function(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "sqla/__init__.py": "",
            "sqla/mapped.py": "def attribute_keyed_dict(): ...\n",
            "sqla/collections.py": """
                def __go(lcls):
                    global attribute_keyed_dict
                    from .mapped import attribute_keyed_dict

                __go(locals())
                """,
            "app.py": "from sqla.collections import attribute_keyed_dict, missing\n",
        },
    )
    found = check(root, select=["unresolved-import"])
    assert [f.message.split("`")[1] for f in found] == ["missing"]


def test_extension_module_source_is_a_module(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "sqla/__init__.py": "",
            "sqla/cyext/__init__.py": "",
            "sqla/cyext/util.pyx": "def cache_anon_map(): ...\n",
            "sqla/cyext/fast.cpython-311-x86_64-linux-gnu.so": "",
            "app.py": """
                import sqla.cyext.fast
                from sqla.cyext import util
                from sqla.cyext.util import cache_anon_map
                from sqla.cyext.missing import nothing
                """,
        },
    )
    found = where(check(root, select=["unresolved-import"]), root)
    assert found == [("unresolved-import", "app.py", 4)]


def test_aliases_registered_in_sys_modules_below_a_module(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "requests/__init__.py": "from . import packages\n",
            "requests/packages.py": """
                import sys

                for mod in list(sys.modules):
                    if mod.startswith("urllib3"):
                        sys.modules[f"requests.packages.{mod}"] = sys.modules[mod]
                """,
            "requests/plain.py": "",
            "tests/test_requests.py": """
                from requests.packages.urllib3.poolmanager import PoolManager
                from requests.plain.sub import nothing
                """,
        },
    )
    found = where(check(root, select=["unresolved-import"]), root)
    assert found == [("unresolved-import", "tests/test_requests.py", 2)]
