"""The one table of allowed moves per status field. Nothing else changes a status.

A move not in the table is refused by the services (or, for payment statuses reported by a
provider, ignored: a late or duplicate webhook never moves a status backwards).
"""

from __future__ import annotations

from apps.orders.models import OrderStatus, PaymentStatus

ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.UNCONFIRMED: frozenset({OrderStatus.UNFULFILLED, OrderStatus.CANCELLED}),
    OrderStatus.UNFULFILLED: frozenset({OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED, OrderStatus.CANCELLED}),
    # Another shipment, the last one, or the unshipped rest cancelled (the order is then fulfilled:
    # nothing is left to ship; the lines' quantity_cancelled says what was not).
    OrderStatus.PARTIALLY_FULFILLED: frozenset({OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED}),
    # Returns are of shipped units, once nothing is left to ship.
    OrderStatus.FULFILLED: frozenset({OrderStatus.PARTIALLY_RETURNED, OrderStatus.RETURNED}),
    OrderStatus.PARTIALLY_RETURNED: frozenset({OrderStatus.PARTIALLY_RETURNED, OrderStatus.RETURNED}),
    OrderStatus.RETURNED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.UNPAID: frozenset({PaymentStatus.AUTHORISED, PaymentStatus.PAID}),
    PaymentStatus.AUTHORISED: frozenset({PaymentStatus.PAID}),
    PaymentStatus.PAID: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.PARTIALLY_REFUNDED: frozenset({PaymentStatus.REFUNDED}),
    PaymentStatus.REFUNDED: frozenset(),
}


def can_move_order(current: str, new: str) -> bool:
    """Whether an order may move from status ``current`` to ``new``."""
    return new in ORDER_TRANSITIONS.get(current, frozenset())


def can_move_payment(current: str, new: str) -> bool:
    """Whether an order's payment status may move from ``current`` to ``new``."""
    return new in PAYMENT_TRANSITIONS.get(current, frozenset())
