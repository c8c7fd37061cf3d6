"""Issue 11 on a real Django project: moving `Customer` out of `models.py` extracts the
abstract `SoftDeleteModel`, its manager and queryset to `base_models.py`; Django still
sets up, registers the same models and finds no migration to make."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_project import (
    CHECK_MIGRATIONS,
    DJANGO_DESTINATION,
    DJANGO_DUMP,
    DJANGO_FILES,
    DJANGO_SOURCE,
    MAKE_MIGRATIONS,
    SETUP,
)
from model_harness import ExtractionCase, import_each, run_json
from move_harness import make_project, run_python

BASE = "apps/customers/base_models.py"
INFRASTRUCTURE = {"SoftDeleteModel", "SoftDeleteManager", "SoftDeleteQuerySet"}
DJANGO = ["django", "django.db.models"]


DJANGO_CASE = ExtractionCase(
    DJANGO_SOURCE,
    ("Customer",),
    DJANGO_DESTINATION,
    DJANGO_DUMP,
    BASE,
    INFRASTRUCTURE,
    {"SoftDeleteModel"},
    DJANGO,
    SETUP,
)


@pytest.fixture(scope="session")
def migrations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The initial migrations, written by Django's makemigrations for the fixture."""
    root = make_project(tmp_path_factory.mktemp("django-migrations"), DJANGO_FILES)
    run_python(root, MAKE_MIGRATIONS)
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in root.glob("apps/*/migrations/*.py")
    }


def _project(tmp_path: Path, migrations: dict[str, str]) -> Path:
    return make_project(tmp_path, {**DJANGO_FILES, **migrations})


def _no_changes(root: Path) -> str:
    return run_python(root, CHECK_MIGRATIONS)


def test_the_fixture_sets_up_and_has_its_migrations(
    tmp_path: Path, migrations: dict[str, str]
) -> None:
    root = _project(tmp_path, migrations)
    assert (
        "apps.customers.models.SoftDeleteManager()"
        in migrations["apps/customers/migrations/0001_initial.py"]
    )
    dump = run_json(root, DJANGO_DUMP)
    labels = [m["label"] for m in dump["models"]]  # type: ignore[attr-defined]
    assert {"customers.Customer", "customers.Address", "orders.Order"} <= set(labels)
    assert dump["run"] == ["ada@example.org", 1, 0, 1, 1]
    assert "No changes detected" in _no_changes(root)
    assert import_each(root, DJANGO, SETUP) == []


@pytest.mark.parametrize("importers", ["keep", "hub", "direct"])
def test_moving_customer_extracts_the_soft_delete_infrastructure(
    tmp_path: Path, migrations: dict[str, str], importers: str
) -> None:
    root = _project(tmp_path, migrations)
    DJANGO_CASE.verify(root, importers)  # the dump compares the app registry and behaviour
    assert "No changes detected" in _no_changes(root)
