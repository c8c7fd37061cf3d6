"""Order services."""

from apps.orders.signals import order_placed  # import-cycle: signals imports services back

from .models import Order


def place_order(order: Order) -> Order:
    order_placed(order)
    return order
