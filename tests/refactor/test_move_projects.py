"""The correctness bar on whole fixture projects: parse, byte-identical code, no new
broken imports or cycles, same behaviour, reversible, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_projects import (
    DJANGO,
    DJANGO_SCRIPT,
    HUB_CHAIN,
    HUB_CHAIN_SCRIPT,
    SQLALCHEMY,
    SQLALCHEMY_SCRIPT,
    SRC_LAYOUT,
    SRC_SCRIPT,
)
from move_harness import MoveCase


@pytest.mark.parametrize("importers", ["keep", "hub"])
def test_django_shaped(tmp_path: Path, importers: str) -> None:
    case = MoveCase(
        DJANGO,
        "apps.billing.models",
        ("Invoice",),
        "apps.billing.invoice_models",
        DJANGO_SCRIPT,
        importers,
    )
    changes = case.verify(tmp_path)
    assert any("PATCH_TARGET" not in w and "apps/shop/tests.py:1" in w for w in changes.warnings)


def test_django_shaped_direct(tmp_path: Path) -> None:
    case = MoveCase(
        DJANGO,
        "apps.billing.models",
        ("Invoice",),
        "apps.billing.invoice_models",
        DJANGO_SCRIPT,
        "direct",
    )
    case.verify(tmp_path)


@pytest.mark.parametrize("importers", ["keep", "direct"])
def test_sqlalchemy_shaped(tmp_path: Path, importers: str) -> None:
    case = MoveCase(
        SQLALCHEMY,
        "app.db.models",
        ("Address", "make_address"),
        "app.db.address_models",
        SQLALCHEMY_SCRIPT,
        importers,
    )
    case.verify(tmp_path)


@pytest.mark.parametrize("importers", ["hub", "direct"])
def test_src_layout(tmp_path: Path, importers: str) -> None:
    case = MoveCase(
        SRC_LAYOUT,
        "shop.catalog.services",
        ("price_of",),
        "shop.catalog.price_services",
        SRC_SCRIPT,
        importers,
        src="src",
    )
    case.verify(tmp_path)


@pytest.mark.parametrize("importers", ["keep", "hub", "direct"])
def test_hub_chain(tmp_path: Path, importers: str) -> None:
    # `direct` points `from pkg import Product` at the definition; moving back cannot
    # know it once went through two hubs, so that tree is not restored byte for byte.
    case = MoveCase(
        HUB_CHAIN,
        "pkg.catalog.models",
        ("Product",),
        "pkg.catalog.product_models",
        HUB_CHAIN_SCRIPT,
        importers,
        round_trip=importers != "direct",
    )
    changes = case.verify(tmp_path)
    hub = next(c for c in changes.changes if c.path.name == "__init__.py")
    assert "from .product_models import Product as Product" in hub.new_text
