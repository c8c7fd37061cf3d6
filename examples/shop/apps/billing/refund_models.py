"""Refunds (moved here from payment_models.py; the hub was not updated)."""

from .base import Model


class Refund(Model):
    pass
