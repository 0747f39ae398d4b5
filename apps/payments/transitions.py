"""The one table of allowed payment-status moves. A move not listed (backwards, or to where the
payment already is) is refused by :func:`can_move`, and the services then change nothing: that is
how a late or out-of-order webhook is applied at most once and never moves a status backwards.

The order's own ``payment_status`` has its own table in ``apps/orders/transitions.py``; a payment
status maps to an order payment status through :data:`ORDER_PAYMENT_STATUS`.
"""

from __future__ import annotations

from apps.payments.providers.base import PaymentStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.AUTHORISED, S.SUCCEEDED, S.FAILED, S.CANCELLED}),
    S.FAILED: frozenset({S.PENDING, S.AUTHORISED, S.SUCCEEDED, S.CANCELLED}),  # the shopper retries the card
    S.AUTHORISED: frozenset({S.SUCCEEDED, S.CANCELLED}),
    S.SUCCEEDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),  # a second partial refund
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

# Payment status -> the order's payment_status it implies (None: the order's does not move).
ORDER_PAYMENT_STATUS: dict[str, str | None] = {
    S.PENDING: None,
    S.FAILED: None,
    S.CANCELLED: None,
    S.AUTHORISED: "authorised",
    S.SUCCEEDED: "paid",
    S.PARTIALLY_REFUNDED: "partially_refunded",
    S.REFUNDED: "refunded",
}

OPEN_STATUSES = frozenset({S.PENDING, S.FAILED})  # nothing collected yet: a card order may expire


def can_move(current: str, new: str) -> bool:
    """Whether a payment in ``current`` may move to ``new`` (the table above; unknown -> no)."""
    return new in ALLOWED.get(current, frozenset())
