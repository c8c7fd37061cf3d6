"""Legacy hub kept so old imports work; the package policy is `direct`."""

from .customer_models import Customer as Customer

__all__ = ["Customer"]
