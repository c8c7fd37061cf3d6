"""Issue 11 on a real SQLAlchemy 2.x project: moving two models out of a 24-model
`models.py` extracts the shared declarative set-up to `base_models.py`, and the mapped
schema, the behaviour and the module-level set-up (built once) are what they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_harness import ExtractionCase, defined_in, import_each, line_of, run_json
from model_projects import (
    PRICE_LABEL,
    SQLA_DESTINATION,
    SQLA_DUMP,
    SQLA_MOVED,
    SQLA_SOURCE,
    sqlalchemy_project,
)
from move_harness import (
    CarveRunner,
    MoveCase,
    apply,
    definition_text,
    make_project,
    plan,
    problems,
    run_python,
    snapshot,
)

from carve.core.refactor.request import MoveError

MOVE_BACK = pytest.mark.xfail(
    strict=True,
    reason="moving back works but is not byte-identical here: the code lands after "
    "`_slugify` instead of its old place, and the two `from sqlalchemy import` lines "
    "come back as one",
)
MODELS = "shared/database/models.py"
PRICING = "shared/database/pricing_models.py"
BASE = "shared/database/base_models.py"
SQLALCHEMY = ["sqlalchemy", "sqlalchemy.orm", "sqlalchemy.ext.compiler"]
SHARED = {"Base", "TimestampMixin", "EncryptedFieldMixin"}

# Importing the destination alone: its `server_default` compiles (the `@compiles` hook is
# registered), its mappers have their listeners, the key is built once. (Whole-table DDL
# would need the tables its foreign keys name, which stay in models.py.)
DESTINATION_ALONE = """
    import json
    from sqlalchemy.dialects import postgresql, sqlite

    import {module} as models
    from shared.crypto import BUILT_KEYS

    out = {{}}
    for name in {names}:
        cls = getattr(models, name)
        default = cls.__table__.c.created_at.server_default.arg
        out[name] = {{
            "server_default": [str(default.compile(dialect=d()))
                               for d in (sqlite.dialect, postgresql.dialect)],
            "listeners": [len(cls.__mapper__.dispatch.before_insert),
                          len(cls.__mapper__.dispatch.before_update)],
        }}
    out["keys_built"] = len(BUILT_KEYS)
    print(json.dumps(out, sort_keys=True))
"""


SQLA_CASE = ExtractionCase(
    SQLA_SOURCE, SQLA_MOVED, SQLA_DESTINATION, SQLA_DUMP, BASE, SHARED, SHARED, SQLALCHEMY
)


def _project(tmp_path: Path, declarative: str = "function") -> Path:
    return make_project(tmp_path, sqlalchemy_project(declarative))


def test_the_fixture_runs_and_builds_its_key_once(tmp_path: Path) -> None:
    root = _project(tmp_path)
    dump = run_json(root, SQLA_DUMP)
    assert len(dump["mappers"]) == 24 and len(dump["tables"]) == 26  # type: ignore[arg-type]
    assert dump["keys_built"] == 1
    roundtrip = dump["roundtrip"]
    assert roundtrip[:4] == ["main-feed", "11.0000", "10.1200", "by-manual"]  # type: ignore[index]
    assert import_each(root, SQLALCHEMY) == []


@pytest.mark.parametrize(
    ("declarative", "importers"),
    [("function", "keep"), ("function", "hub"), ("function", "direct"), ("class", "direct")],
)
def test_moving_two_models_extracts_the_shared_base(
    tmp_path: Path, declarative: str, importers: str
) -> None:
    root = _project(tmp_path, declarative)
    SQLA_CASE.verify(root, importers)  # the dump checks schema, behaviour, keys_built == 1
    assert sum(path.read_text().count("Fernet(") for path in root.rglob("*.py")) == 1


def test_the_destination_alone_brings_its_setup(tmp_path: Path) -> None:
    """Imported on its own, the feature file has its `@compiles` hook, its listeners (on
    the mixin, and `_round_amount` registered on `SourcePrice`) and one key."""
    root = _project(tmp_path)
    script = DESTINATION_ALONE.format(names=list(SQLA_MOVED), module=SQLA_SOURCE)
    before = run_json(root, script)
    apply(root, plan(root, SQLA_SOURCE, SQLA_MOVED, SQLA_DESTINATION, "direct"))
    alone = run_json(
        root, DESTINATION_ALONE.format(names=list(SQLA_MOVED), module=SQLA_DESTINATION)
    )
    assert alone == before


def test_round_trip_restores_the_definitions(tmp_path: Path) -> None:
    root = _project(tmp_path)
    original = (root / MODELS).read_text()
    broken_before = problems(root)
    before = run_json(root, SQLA_DUMP)
    apply(root, plan(root, SQLA_SOURCE, SQLA_MOVED, SQLA_DESTINATION, "keep"))
    apply(root, plan(root, SQLA_DESTINATION, SQLA_MOVED, SQLA_SOURCE, "keep"))
    restored = (root / MODELS).read_text()
    for name in SQLA_MOVED:
        assert definition_text(original, name) in restored
    assert not (root / PRICING).exists() or not defined_in(root, PRICING) & set(SQLA_MOVED)
    assert problems(root) <= broken_before
    assert run_json(root, SQLA_DUMP) == before
    assert import_each(root, SQLALCHEMY) == []


def test_an_annotation_only_cycle_becomes_a_type_checking_import(tmp_path: Path) -> None:
    files = sqlalchemy_project()
    files[MODELS] += PRICE_LABEL
    files["shared/services/labels.py"] = "from shared.database.models import price_label\n"
    root = make_project(tmp_path, files)
    broken_before = problems(root)
    before = run_json(root, SQLA_DUMP)
    changes = plan(root, SQLA_SOURCE, ("price_label",), "shared.database.price_labels", "direct")
    apply(root, changes)

    assert "extract" not in changes.title
    assert not (root / BASE).exists()
    labels = (root / "shared/database/price_labels.py").read_text()
    guarded = labels.split("if TYPE_CHECKING:", 1)[1]
    assert "from shared.database.models import Source, SourcePrice" in guarded, labels
    assert (
        "from shared.database.price_labels import price_label"
        in (root / "shared/services/labels.py").read_text()
    )
    assert problems(root) <= broken_before
    assert run_json(root, SQLA_DUMP) == before
    assert import_each(root, SQLALCHEMY) == []


# No cycle-free layout: `Source` (staying: `Report` uses it too) reads `SourcePrice` when
# its class body runs, and the statement that sets up `SourcePrice.source` (it travels
# with `SourcePrice`) reads `Source`. `Source` cannot be extracted (it needs the moved
# code) and the destination cannot import it from the source (the source re-exports).
UNRESOLVABLE = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


        class Base(DeclarativeBase):
            pass


        class SourcePrice(Base):
            __tablename__ = "source_prices"

            id: Mapped[int] = mapped_column(primary_key=True)
            source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))


        class Source(Base):
            __tablename__ = "sources"

            id: Mapped[int] = mapped_column(primary_key=True)
            prices = relationship(SourcePrice, back_populates="source")


        SourcePrice.source = relationship(Source, back_populates="prices")


        class Report(Base):
            __tablename__ = "reports"

            id: Mapped[int] = mapped_column(primary_key=True)
            source_id: Mapped[int] = mapped_column(ForeignKey(Source.id))
    """,
    "shop/views.py": """
        from shop.models import Report, SourcePrice

        VIEWS = [Report, SourcePrice]
    """,
}
UNRESOLVABLE_CHECK = """
    from sqlalchemy.orm import configure_mappers
    import shop.views
    from shop.models import SourcePrice
    configure_mappers()
    print(SourcePrice.source.property.mapper.class_.__name__)
"""


@pytest.mark.parametrize("importers", ["keep", "direct"])
def test_no_cycle_free_layout_refuses_and_writes_nothing(
    tmp_path: Path, carve: CarveRunner, importers: str
) -> None:
    root = make_project(tmp_path, UNRESOLVABLE)
    assert run_python(root, UNRESOLVABLE_CHECK).strip() == "Source"  # a valid program
    before = snapshot(root)
    with pytest.raises(MoveError):
        plan(root, "shop.models", ("SourcePrice",), "shop.pricing_models", importers)
    run = carve(
        "move", "shop.models.SourcePrice", "--to", "shop.pricing_models",
        "--importers", importers, "--write", cwd=root,
    )  # fmt: skip
    assert run.code == 1, run.err
    assert snapshot(root) == before


def test_no_cycle_free_layout_names_both_edges(tmp_path: Path) -> None:
    root = make_project(tmp_path, UNRESOLVABLE)
    text = (root / "shop/models.py").read_text()
    with pytest.raises(MoveError) as refusal:
        plan(root, "shop.models", ("SourcePrice",), "shop.pricing_models", "keep")
    message = str(refusal.value)
    staying_uses_moved = line_of(text, "prices = relationship(SourcePrice")
    moved_uses_staying = line_of(text, "SourcePrice.source = relationship(Source")
    assert f"models.py:{staying_uses_moved}" in message, message
    assert f"models.py:{moved_uses_staying}" in message, message


def _beside_base(importers: str, round_trip: bool) -> MoveCase:
    return MoveCase(
        sqlalchemy_project(base_module=True),
        SQLA_SOURCE,
        SQLA_MOVED,
        SQLA_DESTINATION,
        SQLA_DUMP,
        importers,
        round_trip=round_trip,
    )


@pytest.mark.parametrize("importers", ["keep", "direct"])
def test_moving_models_beside_their_base_module(tmp_path: Path, importers: str) -> None:
    """`Base` and the mixins already live in `base.py`: nothing to extract, today's move
    (the harness's bar: byte-identical code, same dump, no new problems, idempotent)."""
    changes = _beside_base(importers, round_trip=False).verify(tmp_path)
    assert "extract" not in changes.title
    assert import_each(tmp_path, SQLALCHEMY) == []


@MOVE_BACK
def test_moving_models_back_beside_their_base_module(tmp_path: Path) -> None:
    """`Source` and `SourcePrice` name each other only in `Mapped[...]` annotations (PEP
    563) and strings, so moving the models back needs no reordering."""
    _beside_base("keep", round_trip=True).verify(tmp_path)


def test_a_listener_registered_on_a_moved_model_travels_with_it(tmp_path: Path) -> None:
    """`@event.listens_for(SourcePrice, "before_insert")` registers the moved model: the
    feature file imported alone must have it (today it stays in models.py)."""
    root = make_project(tmp_path, sqlalchemy_project(base_module=True))
    before = run_json(root, DESTINATION_ALONE.format(names=list(SQLA_MOVED), module=SQLA_SOURCE))
    apply(root, plan(root, SQLA_SOURCE, SQLA_MOVED, SQLA_DESTINATION, "direct"))
    alone = run_json(
        root, DESTINATION_ALONE.format(names=list(SQLA_MOVED), module=SQLA_DESTINATION)
    )
    assert alone == before
