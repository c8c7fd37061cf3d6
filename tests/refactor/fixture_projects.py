"""Fixture projects, Django- and SQLAlchemy-shaped, written with plain classes so that
running them needs nothing installed."""

from __future__ import annotations

IMPORT_ALL = """
    import importlib, pkgutil, sys
    for top in {tops}:
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, top + "."):
            importlib.import_module(info.name)
"""


def importing_all(*tops: str) -> str:
    return IMPORT_ALL.format(tops=list(tops))


DJANGO = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": """
        from .models import Customer as Customer
        from .models import Invoice as Invoice
    """,
    "apps/billing/base.py": """
        class Model:
            registry: list[str] = []

            def __init_subclass__(cls) -> None:
                Model.registry.append(cls.__name__)


        def register(cls):
            cls.registered = True
            return cls
    """,
    "apps/billing/models.py": '''
        """Billing models."""

        from __future__ import annotations

        import datetime
        from decimal import Decimal
        from typing import TYPE_CHECKING

        from .base import Model, register

        if TYPE_CHECKING:
            from apps.shop.models import Order

        __all__ = ["Customer", "Invoice", "InvoiceLine"]

        TAX = Decimal("0.2")


        class Customer(Model):
            name = "customer"

            def tax(self) -> Decimal:
                return TAX


        def _total(amount: Decimal) -> Decimal:
            return amount * (1 + _RATE)


        _RATE = Decimal("0.1")


        # An invoice: what a customer owes.
        @register
        class Invoice(Model):
            """An invoice."""

            def total(self, order: Order | None = None) -> Decimal:
                return _total(Decimal("10"))

            def issued(self) -> datetime.date:
                return datetime.date(2020, 1, 1)


        class InvoiceLine(Model):
            invoice = Invoice
    ''',
    "apps/billing/admin.py": """
        from .models import Customer, Invoice

        REGISTERED = [Customer.__name__, Invoice.__name__]
    """,
    "apps/shop/__init__.py": "",
    "apps/shop/models.py": """
        from apps.billing.models import Customer, Invoice


        class Order:
            customer = Customer
            invoice = Invoice
    """,
    "apps/shop/views.py": """
        from __future__ import annotations

        from typing import TYPE_CHECKING

        import apps.billing.models as bm
        from apps.billing.models import (
            Customer,
            Invoice,
        )

        try:
            from apps.billing.models import Invoice as MaybeInvoice
        except ImportError:
            MaybeInvoice = None

        if TYPE_CHECKING:
            from apps.billing.models import Invoice as TypedInvoice


        def view(invoice: TypedInvoice | None = None) -> list[str]:
            from apps.billing.models import Invoice as Lazy

            return [
                str(Invoice().total()),
                str(bm.Invoice().issued()),
                str(bm.Customer().tax()),
                str(Lazy is Invoice is MaybeInvoice),
                Customer.name,
            ]
    """,
    "apps/shop/tests.py": """
        PATCH_TARGET = "apps.billing.models.Invoice"
    """,
}

DJANGO_SCRIPT = (
    importing_all("apps")
    + """
    from apps.shop.views import view
    from apps.billing.admin import REGISTERED
    from apps.billing.base import Model
    print(view(), REGISTERED, sorted(Model.registry))
    import apps.billing
    print(apps.billing.Invoice().total(), apps.billing.Invoice.registered)
"""
)

SQLALCHEMY = {
    "app/__init__.py": "",
    "app/db/__init__.py": """
        from app.db.models import Address, User

        __all__ = ["Address", "User"]
    """,
    "app/db/base.py": """
        class Base:
            metadata: dict[str, type] = {}

            def __init_subclass__(cls) -> None:
                Base.metadata[cls.__tablename__] = cls


        def relationship(target: str) -> str:
            return f"relationship({target})"
    """,
    "app/db/models.py": """
        from app.db.base import Base, relationship


        class User(Base):
            __tablename__ = "users"
            addresses = relationship("Address")


        class Address(Base):
            __tablename__ = "addresses"
            user = relationship("User")

            def label(self) -> str:
                return f"{self.__tablename__}: {self.user}"


        def make_address() -> Address:
            return Address()
    """,
    "app/services/__init__.py": "",
    "app/services/users.py": """
        from app.db import models
        from app.db.models import User, make_address


        def describe() -> str:
            return make_address().label() + " / " + User.__tablename__


        def address_type() -> str:
            return models.Address.__name__
    """,
}

SQLALCHEMY_SCRIPT = (
    importing_all("app")
    + """
    from app.services.users import describe, address_type
    from app.db.base import Base
    print(describe(), address_type(), sorted(Base.metadata))
"""
)

SRC_LAYOUT = {
    "src/shop/__init__.py": "",
    "src/shop/catalog/__init__.py": "",
    "src/shop/catalog/services.py": """
        import logging

        from .pricing import round_price

        logger = logging.getLogger(__name__)


        def price_of(sku: str) -> float:
            logger.debug("pricing %s", sku)
            return round_price(len(sku) * 1.5)


        def describe(sku: str) -> str:
            return f"{sku}: {price_of(sku)}"
    """,
    "src/shop/catalog/pricing.py": """
        def round_price(value: float) -> float:
            return round(value, 1)
    """,
    "src/shop/orders.py": """
        from shop.catalog.services import describe, price_of


        def order_total(skus: list[str]) -> float:
            return sum(price_of(s) for s in skus)


        def order_lines(skus: list[str]) -> list[str]:
            return [describe(s) for s in skus]
    """,
    "tests/test_orders.py": """
        from shop.catalog.services import price_of


        def test_price() -> None:
            assert price_of("ab") == 3.0
    """,
}

SRC_SCRIPT = (
    importing_all("shop")
    + """
    from shop.orders import order_total, order_lines
    print(order_total(["a", "bcd"]), order_lines(["xy"]))
"""
)

HUB_CHAIN = {
    "pkg/__init__.py": """
        from pkg.catalog import Product as Product

        __all__ = ["Product"]
    """,
    "pkg/catalog/__init__.py": """
        from .models import Product as Product
        from .models import Stock as Stock
    """,
    "pkg/catalog/models.py": """
        class Product:
            def __init__(self, sku: str) -> None:
                self.sku = sku


        class Stock:
            def __init__(self, product: Product, count: int) -> None:
                self.product = product
                self.count = count
    """,
    "pkg/reports.py": """
        from pkg import Product
        from pkg.catalog import Stock


        def report() -> str:
            stock = Stock(Product("x1"), 3)
            return f"{stock.product.sku}={stock.count}"
    """,
}

HUB_CHAIN_SCRIPT = (
    importing_all("pkg")
    + """
    from pkg.reports import report
    print(report())
"""
)
