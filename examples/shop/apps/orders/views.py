"""Order views."""

from apps.billing.invoice_models import Invoice  # hub-bypass: go through apps.billing.models
from apps.billing.models import Coupon  # unresolved-import: there is no Coupon anywhere
from apps.legacy.models import Customer  # legacy-hub-import: import from customer_models

from .models import Order


def order_detail(order_id: int) -> Order:
    order = Order(order_id)
    order.invoice = Invoice()
    order.customer = Customer()
    order.coupon = Coupon()
    return order
