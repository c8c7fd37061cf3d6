"""Import roots as Python sees them: a directory is a root only if something would put it
on sys.path (the project, `src/`, a declared setuptools source directory, a marked
directory outside any package); a bad `.gitignore` line is skipped, never fatal."""

from __future__ import annotations

from pathlib import Path

from carve.core.config import load_config
from carve.core.discovery import Discovery

from conftest import build_index, check, make_project, where


def names(root: Path) -> set[str]:
    return {m.name for m in build_index(root).modules()}


def test_manage_py_inside_a_package_is_not_a_root(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "wagtail/__init__.py": "from wagtail.utils.version import get_version\n",
            "wagtail/utils/__init__.py": "",
            "wagtail/utils/setup.py": "def assets(): ...\n",
            "wagtail/utils/version.py": "def get_version(): ...\n",
            "wagtail/test/__init__.py": "",
            "wagtail/test/manage.py": "import wagtail.test.testapp.models\n",
            "wagtail/test/testapp/__init__.py": "",
            "wagtail/test/testapp/models.py": "from wagtail.test.testapp import apps\n",
            "wagtail/test/testapp/apps.py": "",
        },
    )
    assert "wagtail.test.testapp.models" in names(root)
    assert "testapp.models" not in names(root)
    assert check(root, select=["unresolved-import"]) == []


def test_manage_py_outside_packages_is_still_a_root(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "backend/manage.py": "import shop.models\n",
            "backend/shop/__init__.py": "",
            "backend/shop/models.py": "",
        },
    )
    assert "shop.models" in names(root)


def test_fixture_project_inside_a_test_package_does_not_shadow_a_library(
    tmp_path: Path,
) -> None:
    root = make_project(
        tmp_path,
        {
            "tests/__init__.py": "",
            "tests/masonry/__init__.py": "",
            "tests/masonry/fixtures/extended/pyproject.toml": "[tool.poetry]\n",
            "tests/masonry/fixtures/extended/build.py": "def build(): ...\n",
            "tests/test_pep517.py": "from build.util import project_wheel_metadata\n",
        },
    )
    assert "build" not in names(root)
    assert check(root, select=["unresolved-import"]) == []


def test_fixture_project_outside_packages_keeps_its_names_to_itself(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            # pytest's rootdir layout: `tests/` is no package, so the fixture is a root
            "tests/fixtures/extended/pyproject.toml": "[tool.poetry]\n",
            "tests/fixtures/extended/build.py": "def build(): ...\n",
            "tests/fixtures/extended/extended/__init__.py": "from build import build, gone\n",
            "tests/test_pep517.py": "import build\nfrom build.util import project_wheel_metadata\n",
        },
    )
    index = build_index(root)
    assert "build" in {m.name for m in index.modules()}
    assert not index.in_workspace("build")
    found = where(check(root, select=["unresolved-import"]), root)
    assert found == [("unresolved-import", "tests/fixtures/extended/extended/__init__.py", 1)]


def test_setuptools_where_in_pyproject(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["lib"]\n',
            "lib/sqlalchemy/__init__.py": "from sqlalchemy.orm import Session\n",
            "lib/sqlalchemy/orm.py": "class Session: ...\n",
            "test/test_orm.py": "from sqlalchemy.orm import Session\n",
        },
    )
    assert {"sqlalchemy", "sqlalchemy.orm"} <= names(root)
    assert "lib.sqlalchemy.orm" not in names(root)
    assert check(root, select=["unresolved-import"]) == []


def test_setuptools_package_dir_in_pyproject(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "lib"}\n',
            "lib/sqlalchemy/__init__.py": "",
        },
    )
    assert "sqlalchemy" in names(root)


def test_setuptools_layouts_in_setup_cfg(tmp_path: Path) -> None:
    for setup_cfg in (
        "[options]\npackage_dir =\n    =lib\n",
        "[options.packages.find]\nwhere = lib\n",
    ):
        root = make_project(
            tmp_path / str(len(setup_cfg)),
            {"setup.cfg": setup_cfg, "lib/sqlalchemy/__init__.py": ""},
        )
        assert "sqlalchemy" in names(root), setup_cfg


def test_bad_gitignore_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            ".gitignore": "!\ngenerated/\n",
            "app/__init__.py": "",
            "app/models.py": "from app.missing import X\n",
            "generated/out.py": "",
        },
    )
    discovery = Discovery(load_config(root))
    files = {f.module for f in discovery.source_files()}
    assert files == {"app", "app.models"}
    assert [(p.name, "line 1" in m) for p, m in discovery.errors] == [(".gitignore", True)]
    found = where(check(root, select=["unresolved-import"]), root)
    assert found == [("unresolved-import", "app/models.py", 1)]
