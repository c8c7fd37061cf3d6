"""Billing models hub: Django registers the models imported here.

The models live in feature files; this module only re-exports them so that
`from apps.billing.models import Invoice` keeps working.
"""

from .invoice_models import Invoice as Invoice
from .invoice_models import InvoiceLine as InvoiceLine
from .payment_models import Payment
from .payment_models import Refund as Refund  # broken-reexport: Refund moved away

__all__ = [
    "Invoice",
    "InvoiceLine",
    "Refund",
    # dunder-all-mismatch: Payment is re-exported above but not listed
]
