"""Fixture projects shared by several test packages (written to disk by each test)."""

BILLING = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": """
        from .invoice_models import Invoice as Invoice
        from .payment_models import Payment as Payment

        __all__ = ["Invoice", "Payment"]
    """,
    "apps/billing/invoice_models.py": """
        class Invoice:
            pass


        def total(invoice):
            return 0
    """,
    "apps/billing/payment_models.py": """
        class Payment:
            pass
    """,
    "apps/shop/__init__.py": "",
}
