"""Orders: the monolith that still holds every order-related model."""

from __future__ import annotations

from decimal import Decimal


class Order:
    """A order."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"Order #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))


class OrderLine:
    """A orderline."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"OrderLine #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))


class Cart:
    """A cart."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"Cart #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))


class CartItem:
    """A cartitem."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"CartItem #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))


class Shipment:
    """A shipment."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"Shipment #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))


class ShipmentItem:
    """A shipmentitem."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"ShipmentItem #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))


class Warehouse:
    """A warehouse."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"Warehouse #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))


class Carrier:
    """A carrier."""

    def __init__(self, ident: int = 0) -> None:
        self.ident = ident
        self.notes: list[str] = []
        self.amount = Decimal(0)

    def describe(self) -> str:
        return f"Carrier #{self.ident}"

    def add_note(self, note: str) -> None:
        if note and note not in self.notes:
            self.notes.append(note)

    def total(self) -> Decimal:
        return self.amount + sum((Decimal(len(n)) for n in self.notes), Decimal(0))
