"""Fixture projects that run real SQLAlchemy 2.x and Django models, shaped like the
monolithic `models.py` files users split (issue 11): a declarative `Base`, mixins,
module-level set-up (an encryption key read from the environment, a `@compiles` hook,
event listeners), 20+ models with relationships by string and by class, association
tables, abstract Django models with their manager and queryset, signal receivers.

The builders return `{relative path: text}` for `move_harness.make_project`; the
scripts print a canonical, deterministic dump to compare before and after a move.
"""

from __future__ import annotations

SQLA_SOURCE = "shared.database.models"
SQLA_MOVED = ("SourcePrice", "PricingHistory")
SQLA_DESTINATION = "shared.database.pricing_models"

# A stand-in for `cryptography.fernet.Fernet` (not a test dependency): it counts how many
# keys are built, so "the key is built once" can be asserted after a move.
CRYPTO = '''
"""Symmetric encryption (a stand-in for cryptography.fernet with the same surface)."""

import base64
import hashlib

BUILT_KEYS: list[bytes] = []


class Fernet:
    def __init__(self, key: bytes) -> None:
        BUILT_KEYS.append(key)
        self._pad = hashlib.sha256(key).digest()

    @staticmethod
    def derive(secret: str) -> bytes:
        return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())

    def _xor(self, data: bytes) -> bytes:
        return bytes(b ^ self._pad[i % len(self._pad)] for i, b in enumerate(data))

    def encrypt(self, data: bytes) -> bytes:
        return base64.urlsafe_b64encode(self._xor(data))

    def decrypt(self, token: bytes) -> bytes:
        return self._xor(base64.urlsafe_b64decode(token))
'''

SQLA_HEADER = '''
"""Every model of the application, in one module (for now)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import {base_import}, Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeDecorator

from shared.crypto import Fernet

NAMING_CONVENTION = {{
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}}

{base_definition}

ENCRYPTION_KEY = os.environ.get("APP_ENCRYPTION_KEY", "development-only-key")
fernet = Fernet(Fernet.derive(ENCRYPTION_KEY))


class utcnow(FunctionElement):
    """`now()` in UTC, rendered per dialect."""

    type = DateTime(timezone=True)
    inherit_cache = True


@compiles(utcnow)
def _utcnow_default(element: Any, compiler: Any, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utcnow, "postgresql")
def _utcnow_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return "TIMEZONE('utc', CURRENT_TIMESTAMP)"


class EncryptedString(TypeDecorator):
    """A string stored encrypted with `cipher`."""

    impl = String
    cache_ok = True

    def __init__(self, cipher: Fernet, length: int = 255) -> None:
        super().__init__(length)
        self.cipher = cipher

    def process_bind_param(self, value: Optional[str], dialect: Any) -> Optional[str]:
        return None if value is None else self.cipher.encrypt(value.encode()).decode()

    def process_result_value(self, value: Optional[str], dialect: Any) -> Optional[str]:
        return None if value is None else self.cipher.decrypt(value.encode()).decode()


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=utcnow(), nullable=False
    )
    updated_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


@event.listens_for(TimestampMixin, "before_update", propagate=True)
def _touch(mapper: Any, connection: Any, target: Any) -> None:
    target.updated_at = datetime.now(timezone.utc)


class EncryptedFieldMixin:
    """A `secret` column, encrypted at rest with the application key."""

    secret: Mapped[Optional[str]] = mapped_column(EncryptedString(fernet, 512))

    def reveal(self) -> Optional[str]:
        return self.secret


user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)

product_tags = Table(
    "product_tags",
    Base.metadata,
    Column("product_id", ForeignKey("products.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Currency(Base):
    __tablename__ = "currencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    users: Mapped[list[User]] = relationship(secondary=user_roles, back_populates="roles")


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True, unique=True)
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, back_populates="users")
    credentials: Mapped[list[ApiCredential]] = relationship(back_populates="user")


class ApiCredential(TimestampMixin, EncryptedFieldMixin, Base):
    __tablename__ = "api_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship(User, back_populates="credentials")


class Source(TimestampMixin, Base):
    """Where prices come from."""

    __tablename__ = "sources"
    __table_args__ = (Index("ix_sources_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="feed")
    slug: Mapped[Optional[str]] = mapped_column(String(120))
    prices: Mapped[list[SourcePrice]] = relationship(
        "SourcePrice", back_populates="source", cascade="all, delete-orphan"
    )


@event.listens_for(Source, "before_insert")
def _slugify(mapper: Any, connection: Any, target: Source) -> None:
    target.slug = target.name.lower().replace(" ", "-")


class SourcePrice(TimestampMixin, Base):
    """One price quoted by a source."""

    __tablename__ = "source_prices"
    __table_args__ = (
        UniqueConstraint("source_id", "quoted_at", name="one_quote_per_instant"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        Index("ix_source_prices_quoted", "quoted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    currency_id: Mapped[int] = mapped_column(ForeignKey("currencies.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    quoted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[Source] = relationship("Source", back_populates="prices")
    currency: Mapped[Currency] = relationship("Currency")
    history: Mapped[list[PricingHistory]] = relationship(
        "PricingHistory", back_populates="price", order_by="PricingHistory.id"
    )


@event.listens_for(SourcePrice, "before_insert")
def _round_amount(mapper: Any, connection: Any, target: SourcePrice) -> None:
    target.amount = round(target.amount, 2)


class PricingHistory(TimestampMixin, EncryptedFieldMixin, Base):
    """What a price was, and who changed it."""

    __tablename__ = "pricing_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    price_id: Mapped[int] = mapped_column(ForeignKey("source_prices.id"))
    previous: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    note: Mapped[Optional[str]] = mapped_column(Text)
    price: Mapped[SourcePrice] = relationship(SourcePrice, back_populates="history")


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id"))
    parent: Mapped[Optional[Category]] = relationship(remote_side=[id])


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40), unique=True)


class Product(TimestampMixin, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currencies.id"))
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id"))
    currency: Mapped[Currency] = relationship(Currency)
    category: Mapped[Optional[Category]] = relationship(Category)
    tags: Mapped[list[Tag]] = relationship(secondary=product_tags)
'''

DECLARATIVE_BASE = "Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))"
DECLARATIVE_CLASS = """
class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
""".strip()

# (class, table, parent class or None, relationship to the parent by class?)
FILLER = [
    ("Customer", "customers", None, False),
    ("Address", "addresses", "Customer", True),
    ("Order", "orders", "Customer", False),
    ("OrderLine", "order_lines", "Order", True),
    ("Invoice", "invoices", "Order", False),
    ("Payment", "payments", "Invoice", True),
    ("Supplier", "suppliers", None, False),
    ("Warehouse", "warehouses", None, False),
    ("StockItem", "stock_items", "Warehouse", False),
    ("Shipment", "shipments", "Order", True),
    ("AuditLog", "audit_logs", "User", False),
    ("Notification", "notifications", "User", True),
    ("Team", "teams", None, False),
    ("Membership", "memberships", "Team", False),
]


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _filler_model(cls: str, table: str, parent: str | None, by_class: bool, extra: int) -> str:
    tables = {c: t for c, t, _, _ in FILLER}
    tables["User"] = "users"
    lines = [
        f"class {cls}(TimestampMixin, Base):",
        f'    """A {cls.lower()} row."""',
        "",
        f'    __tablename__ = "{table}"',
        "",
        "    id: Mapped[int] = mapped_column(primary_key=True)",
        "    reference: Mapped[str] = mapped_column(String(64), index=True)",
    ]
    if parent:
        ref = _snake(parent)
        target = parent if by_class else f'"{parent}"'
        back = "" if parent == "User" else f', back_populates="{table}"'
        lines += [
            f'    {ref}_id: Mapped[int] = mapped_column(ForeignKey("{tables[parent]}.id"))',
            f"    {ref}: Mapped[{parent}] = relationship({target}{back})",
        ]
    children = [(c, t) for c, t, p, _ in FILLER if p == cls]
    for child, child_table in children:
        lines.append(
            f"    {child_table}: Mapped[list[{child}]] = relationship("
            f'"{child}", back_populates="{_snake(cls)}")'
        )
    for i in range(extra):  # methods, to make a module of realistic length
        lines += [
            "",
            f"    def describe_{i}(self, prefix: str = {cls!r}) -> str:",
            f'        """Describe this {cls.lower()} ({i})."""',
            f'        return f"{{prefix}}:{{self.reference}}:{i}"',
        ]
    return "\n".join(lines) + "\n"


def sqlalchemy_models(declarative: str = "function", extra: int = 0, methods: int = 0) -> str:
    """The monolithic models module: 11 hand-written models, 14 generated ones with
    relationships, `extra` unrelated ones; generated models get `methods` methods each."""
    if declarative == "function":
        header = SQLA_HEADER.format(
            base_import="declarative_base", base_definition=DECLARATIVE_BASE
        )
    else:
        header = SQLA_HEADER.format(
            base_import="DeclarativeBase", base_definition=DECLARATIVE_CLASS
        )
    parts = [header.lstrip("\n")]
    specs = [*FILLER, *((f"Ledger{i}", f"ledger_{i}", None, False) for i in range(extra))]
    for cls, table, parent, by_class in specs:
        parts.append("\n\n" + _filler_model(cls, table, parent, by_class, methods))
    return "".join(parts)


# Reads models only in annotations: moving it needs a type-only import, no extraction.
PRICE_LABEL = '''

def price_label(price: SourcePrice, source: Optional[Source] = None) -> str:
    """How reports show a price."""
    name = source.name if source is not None else "?"
    return f"{name}: {price.amount:.2f}"
'''

SQLA_IMPORTERS = {
    "shared/__init__.py": "",
    "shared/crypto.py": CRYPTO,
    "shared/database/__init__.py": '"""Database access."""\n',
    "shared/database/session.py": """
        from sqlalchemy import create_engine
        from sqlalchemy.orm import Session

        from shared.database.models import Base


        def make_session(url: str = "sqlite://") -> Session:
            engine = create_engine(url)
            Base.metadata.create_all(engine)
            return Session(engine)
    """,
    "shared/services/__init__.py": "",
    "shared/services/pricing.py": """
        from decimal import Decimal

        from shared.database.models import PricingHistory, Source, SourcePrice


        def reprice(price: SourcePrice, amount: Decimal, note: str) -> PricingHistory:
            entry = PricingHistory(previous=price.amount, note=note, secret="by-" + note)
            price.history.append(entry)
            price.amount = amount
            return entry


        def source_named(name: str) -> Source:
            return Source(name=name)
    """,
    "shared/services/reports.py": """
        from shared.database import models


        def price_table() -> str:
            return models.SourcePrice.__tablename__ + "/" + models.PricingHistory.__tablename__
    """,
    "shared/api/__init__.py": "",
    "shared/api/prices.py": """
        from decimal import Decimal

        from shared.database.models import Currency
        from shared.database.models import SourcePrice as Price


        def quote(amount: str) -> Price:
            from shared.database.models import PricingHistory

            assert PricingHistory.__tablename__
            return Price(amount=Decimal(amount), currency=Currency(code="EUR"))
    """,
    "tests_app/__init__.py": "",
    "tests_app/test_prices.py": """
        from unittest import mock

        PATCHED = mock.patch("shared.database.models.SourcePrice")
    """,
}


SPLIT_MODELS_IMPORTS = '''"""Every model of the application, in one module (for now)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, Text, event
from sqlalchemy import CheckConstraint, DateTime, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.database.base import Base, EncryptedFieldMixin, TimestampMixin

'''


def sqlalchemy_project(declarative: str = "function", base_module: bool = False) -> dict[str, str]:
    """The application: `shared/database/models.py` and the modules that import it;
    `base_module`: the declarative set-up and mixins already live in `base.py`."""
    models = sqlalchemy_models(declarative)
    if not base_module:
        return {**SQLA_IMPORTERS, "shared/database/models.py": models}
    setup, marker, rest = models.partition("\nuser_roles = Table(")
    return {
        **SQLA_IMPORTERS,
        "shared/database/base.py": setup.rstrip() + "\n",
        "shared/database/models.py": SPLIT_MODELS_IMPORTS + marker + rest,
    }


# Imports every module of the tree (each import also runs the module's set-up), then
# prints a canonical dump of the mapped schema and of a round trip through sqlite.
SQLA_DUMP = """
    import importlib, json, pkgutil
    from datetime import datetime, timezone
    from decimal import Decimal

    from sqlalchemy import select
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.orm import configure_mappers
    from sqlalchemy.schema import CreateIndex, CreateTable

    for top in ["shared", "tests_app"]:
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, top + "."):
            importlib.import_module(info.name)

    from shared.crypto import BUILT_KEYS
    from shared.database.models import Base
    from shared.database.session import make_session
    from shared.services.pricing import reprice, source_named
    from shared.services.reports import price_table
    from shared.api.prices import quote

    configure_mappers()

    def column(c):
        return {
            "name": c.name, "type": repr(c.type), "nullable": c.nullable, "pk": c.primary_key,
            "unique": c.unique, "index": c.index,
            "default": None if c.default is None else type(c.default.arg).__name__,
            "server_default": None if c.server_default is None else str(c.server_default.arg),
            "fks": sorted((f.target_fullname, f.ondelete, f.name) for f in c.foreign_keys),
        }

    def table(t):
        ddl = {}
        for name, dialect in [("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect())]:
            ddl[name] = [str(CreateTable(t).compile(dialect=dialect)).strip()] + sorted(
                str(CreateIndex(i).compile(dialect=dialect)) for i in t.indexes
            )
        return {
            "columns": [column(c) for c in t.columns],
            "indexes": sorted((i.name, [c.name for c in i.columns], i.unique) for i in t.indexes),
            "constraints": sorted(
                (type(c).__name__, str(c.name), sorted(col.name for col in c.columns))
                for c in t.constraints
            ),
            "ddl": ddl,
        }

    def mapper(m):
        return {
            "class": m.class_.__name__, "table": m.local_table.name,
            "relationships": sorted(
                (r.key, r.mapper.class_.__name__, r.back_populates, r.direction.name,
                 None if r.secondary is None else r.secondary.name)
                for r in m.relationships
            ),
            "listeners": {
                e: len(getattr(m.dispatch, e)) for e in ("before_insert", "before_update")
            },
        }

    session = make_session()
    source = source_named("Main Feed")
    price = quote("10.12345")
    price.source, price.quoted_at = source, datetime(2024, 1, 1, tzinfo=timezone.utc)
    session.add(price)
    session.flush()
    entry = reprice(price, Decimal("11"), "manual")
    session.commit()
    session.expire_all()
    stored = session.scalars(select(type(price))).one()
    raw = session.connection().exec_driver_sql("select secret from pricing_history").scalar()
    print(json.dumps({
        "tables": {name: table(t) for name, t in sorted(Base.metadata.tables.items())},
        "mappers": sorted((mapper(m) for m in Base.registry.mappers), key=lambda m: m["class"]),
        "roundtrip": [
            stored.source.slug, str(stored.amount), str(stored.history[0].previous),
            stored.history[0].reveal(), raw != "by-manual", stored.updated_at is not None,
            price_table(),
        ],
        "keys_built": len(BUILT_KEYS),
    }, indent=1, sort_keys=True))
"""
