"""Payments."""

from apps.billing.models import Invoice  # hub-self-import: a cycle waiting to happen

from .base import Model


class Payment(Model):
    invoice: Invoice | None = None
