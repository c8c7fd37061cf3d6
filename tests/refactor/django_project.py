"""A Django project to move real models in (issue 11): an abstract `SoftDeleteModel` with
its manager (serialised in migrations) and queryset, used by `Customer` and by models
that stay; foreign keys by class and by "app.Model" string; `Meta` with ordering,
indexes and constraints; a signal receiver; migrations made by Django itself."""

from __future__ import annotations

DJANGO_SOURCE = "apps.customers.models"
DJANGO_DESTINATION = "apps.customers.customer_models"

DJANGO_FILES = {
    "manage.py": """
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
    """,
    "config/__init__.py": "",
    "config/settings.py": """
        SECRET_KEY = "fixture-only"
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "apps.customers",
            "apps.orders",
        ]
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        USE_TZ = True
    """,
    "apps/__init__.py": "",
    "apps/customers/__init__.py": "",
    "apps/customers/apps.py": """
        from django.apps import AppConfig


        class CustomersConfig(AppConfig):
            name = "apps.customers"
            label = "customers"

            def ready(self) -> None:
                from . import signals  # noqa: F401
    """,
    "apps/customers/models.py": '''
        """Customers, and the soft-delete infrastructure every model here uses."""

        from django.db import models
        from django.utils import timezone


        class SoftDeleteQuerySet(models.QuerySet):
            def alive(self):
                return self.filter(deleted_at__isnull=True)

            def delete(self):
                return self.update(deleted_at=timezone.now())


        class SoftDeleteManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
            use_in_migrations = True

            def get_queryset(self):
                return super().get_queryset().alive()


        class SoftDeleteModel(models.Model):
            deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

            objects = SoftDeleteManager()
            all_objects = models.Manager()

            class Meta:
                abstract = True

            def delete(self, using=None, keep_parents=False):
                self.deleted_at = timezone.now()
                self.save(update_fields=["deleted_at"])
                return 1, {self._meta.label: 1}


        class Customer(SoftDeleteModel):
            """Someone who buys."""

            name = models.CharField(max_length=100)
            email = models.EmailField(unique=True)
            joined = models.DateTimeField(default=timezone.now)

            class Meta(SoftDeleteModel.Meta):
                ordering = ["name"]
                indexes = [models.Index(fields=["email"], name="customer_email_idx")]
                constraints = [
                    models.CheckConstraint(
                        condition=~models.Q(name=""), name="customer_name_not_empty"
                    )
                ]

            def __str__(self) -> str:
                return self.name


        class Address(SoftDeleteModel):
            customer = models.ForeignKey(
                Customer, on_delete=models.CASCADE, related_name="addresses"
            )
            line = models.CharField(max_length=200)


        class Subscription(SoftDeleteModel):
            PLANS = [("free", "Free"), ("pro", "Pro")]

            customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE)
            plan = models.CharField(max_length=10, choices=PLANS, default="free")

            class Meta(SoftDeleteModel.Meta):
                unique_together = [("customer", "plan")]
    ''',
    "apps/customers/signals.py": """
        from django.db.models.signals import pre_save
        from django.dispatch import receiver

        from .models import Customer


        @receiver(pre_save, sender=Customer)
        def normalise_email(sender, instance, **kwargs):
            instance.email = instance.email.lower()
    """,
    "apps/customers/services.py": """
        from apps.customers.models import Address, Customer


        def sign_up(name: str, email: str, line: str) -> Customer:
            customer = Customer.objects.create(name=name, email=email)
            Address.objects.create(customer=customer, line=line)
            return customer
    """,
    "apps/orders/__init__.py": "",
    "apps/orders/models.py": """
        from django.db import models

        from apps.customers.models import Customer, SoftDeleteModel


        class Order(SoftDeleteModel):
            customer = models.ForeignKey(
                "customers.Customer", on_delete=models.PROTECT, related_name="orders"
            )
            total = models.DecimalField(max_digits=10, decimal_places=2)


        class Refund(models.Model):
            order = models.ForeignKey(Order, on_delete=models.CASCADE)
            approved_by = models.ForeignKey(
                Customer, null=True, on_delete=models.SET_NULL, related_name="+"
            )
    """,
}

SETUP = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
"""

MAKE_MIGRATIONS = (
    SETUP
    + """
from django.core.management import call_command
call_command("makemigrations", "customers", "orders", verbosity=0)
"""
)

CHECK_MIGRATIONS = (
    SETUP
    + """
from io import StringIO
from django.core.management import call_command
out = StringIO()
try:
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
except SystemExit as exc:
    print("exit", exc.code)
print(out.getvalue())
"""
)

# The app registry as Django sees it, then the models at work on an in-memory database.
DJANGO_DUMP = (
    SETUP
    + """
import json
from decimal import Decimal
from django.apps import apps
from django.core.management import call_command

def field(f):
    related = f.related_model._meta.label if f.related_model else None
    return [f.name, type(f).__name__, f.null, getattr(f, "unique", False), related]

def model(m):
    meta = m._meta
    return {
        "label": meta.label, "table": meta.db_table, "abstract": meta.abstract,
        "fields": sorted(field(f) for f in meta.get_fields(include_hidden=True)),
        "managers": [[x.name, type(x).__name__] for x in meta.managers],
        "default_manager": meta.default_manager.name,
        "ordering": meta.ordering, "unique_together": [list(u) for u in meta.unique_together],
        "indexes": sorted(i.name for i in meta.indexes),
        "constraints": sorted(c.name for c in meta.constraints),
        "bases": [b.__name__ for b in m.__mro__ if b.__module__.startswith("apps.")],
    }

call_command("migrate", verbosity=0)
from apps.customers.models import Customer, Subscription
from apps.customers.services import sign_up
from apps.orders.models import Order, Refund
ada = sign_up("Ada", "ADA@Example.ORG", "1 Loop Road")
Subscription.objects.create(customer=ada, plan="pro")
order = Order.objects.create(customer=ada, total=Decimal("12.50"))
Refund.objects.create(order=order, approved_by=ada)
order.delete()
print(json.dumps({
    "models": [model(m) for m in sorted(apps.get_models(), key=lambda m: m._meta.label)],
    "run": [
        Customer.objects.get().email, Customer.objects.get().addresses.count(),
        Order.objects.count(), Order.all_objects.count(), Customer.all_objects.count(),
    ],
}, indent=1, sort_keys=True))
"""
)
