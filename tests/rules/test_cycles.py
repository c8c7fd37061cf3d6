"""import-cycle: module-level import cycles, the whole chain and the best edge to cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check, make_project, where


def test_two_module_cycle(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import B\n\n\nclass A:\n    b: B\n",
        "pkg/b.py": "import os\nfrom .a import A\n\n\nclass B:\n    a: A\n",
    }
    root = make_project(tmp_path, files)
    findings = check(root, ["import-cycle"])
    assert where(findings, root) == [("import-cycle", "pkg/a.py", 1)]
    message = findings[0].message
    assert message.startswith("import cycle: pkg.a → pkg.b → pkg.a; best cut: `pkg.a` → `pkg.b`")
    assert findings[0].data["cycle"] == ["pkg.a", "pkg.b", "pkg.a"]


def test_three_module_chain_is_shown_whole(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from . import b\n",
        "pkg/b.py": "import pkg.c\n",
        "pkg/c.py": "from pkg.a import *\n",
    }
    root = make_project(tmp_path, files)
    (finding,) = check(root, ["import-cycle"])
    assert "pkg.a → pkg.b → pkg.c → pkg.a" in finding.message
    assert finding.data["cut"][0] in {"pkg.a", "pkg.b", "pkg.c"}


def test_best_cut_breaks_the_whole_tangle(tmp_path: Path) -> None:
    """a → b → a and a → b → c → a: cutting b → a leaves a → b → c → a, cutting a → b
    leaves no cycle at all, so a → b is the edge to cut."""
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "from pkg import a\nfrom pkg import c\n",
        "pkg/c.py": "from pkg import a\n",
    }
    root = make_project(tmp_path, files)
    (finding,) = check(root, ["import-cycle"])
    assert finding.data["cut"] == ["pkg.a", "pkg.b"]
    assert finding.message.startswith(
        "import cycle: pkg.a → pkg.b → pkg.a (3 modules in the tangle); best cut: `pkg.a` → `pkg.b`"
    )


@pytest.mark.parametrize(
    "back_edge",
    [
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n",
        "import typing\nif typing.TYPE_CHECKING:\n    import pkg.a\n",
        "def f():\n    from pkg.a import A\n    return A\n",
        "class C:\n    def m(self):\n        import pkg.a\n",
        "import pkg\n",  # the package __init__, not pkg.a
    ],
)
def test_no_cycle_through_type_checking_or_lazy_imports(tmp_path: Path, back_edge: str) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import B\nA = 1\n",
        "pkg/b.py": back_edge + "B = 2\n",
    }
    assert check(make_project(tmp_path, files), ["import-cycle"]) == []


def test_try_except_imports_still_run_at_import_time(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import B\nA = 1\n",
        "pkg/b.py": "try:\n    from pkg.a import A\nexcept ImportError:\n    A = None\nB = 2\n",
    }
    root = make_project(tmp_path, files)
    assert where(check(root, ["import-cycle"]), root) == [("import-cycle", "pkg/a.py", 1)]


def test_importing_a_submodule_from_the_own_package_is_no_cycle(tmp_path: Path) -> None:
    """`from pkg import b` inside pkg.a imports pkg.b; pkg/__init__ is already running."""
    files = {
        "pkg/__init__.py": "from .a import A as A\n",
        "pkg/a.py": "from pkg import b\nA = b.B\n",
        "pkg/b.py": "B = 2\n",
    }
    assert check(make_project(tmp_path, files), ["import-cycle"]) == []


def test_importing_a_name_from_the_package_init_is_a_cycle(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "from .a import A as A\nX = 1\n",
        "pkg/a.py": "from pkg import X\nA = X\n",
    }
    root = make_project(tmp_path, files)
    (finding,) = check(root, ["import-cycle"])
    assert finding.data["cycle"] in (["pkg", "pkg.a", "pkg"], ["pkg.a", "pkg", "pkg.a"])


def test_same_module_names_in_two_roots_do_not_make_a_cycle(tmp_path: Path) -> None:
    files = {
        "services/platform/manage.py": "",
        "services/platform/apps/__init__.py": "",
        "services/platform/apps/a.py": "from apps import b\n",
        "services/platform/apps/b.py": "X = 1\n",
        "services/portal/manage.py": "",
        "services/portal/apps/__init__.py": "",
        "services/portal/apps/a.py": "X = 1\n",
        "services/portal/apps/b.py": "from apps import a\n",
    }
    assert check(make_project(tmp_path, files), ["import-cycle"]) == []


def test_cycle_in_one_of_two_roots_is_reported_in_that_root(tmp_path: Path) -> None:
    files = {
        "services/platform/manage.py": "",
        "services/platform/apps/__init__.py": "",
        "services/platform/apps/a.py": "X = 1\n",
        "services/portal/manage.py": "",
        "services/portal/apps/__init__.py": "",
        "services/portal/apps/a.py": "from apps import b\n",
        "services/portal/apps/b.py": "from apps import a\n",
    }
    root = make_project(tmp_path, files)
    assert where(check(root, ["import-cycle"]), root) == [
        ("import-cycle", "services/portal/apps/a.py", 1)
    ]
