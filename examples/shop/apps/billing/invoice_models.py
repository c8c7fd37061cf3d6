"""Invoices."""

from __future__ import annotations

from decimal import Decimal

from .base import Model


class Invoice(Model):
    number: str = ""

    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines()), Decimal(0))

    def lines(self) -> list[InvoiceLine]:
        return []


class InvoiceLine(Model):
    amount: Decimal = Decimal(0)


class CreditNote(Model):  # missing-reexport: the hub never imports it, Django never sees it
    invoice: Invoice | None = None
