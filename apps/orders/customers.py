"""The staff's view of a shop's customers: one row per email (guests and accounts alike, emails
are stored lower-cased) with the number of orders, the total spent and the last order.

"Spent" counts orders whose payment was received and not wholly refunded (paid or partially
refunded), at their order total; refunds are the payments app's and are not subtracted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from apps.core.errors import NotFound
from apps.orders.models import Order, PaymentStatus

SPENT_STATUSES = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)


def list_customers(*, tenant, q: str = "") -> QuerySet:
    """Dicts of ``email``, ``orders``, ``spent``, ``last_order_at``, most recent buyer first;
    ``q`` narrows to emails starting with it (the ``(tenant, email)`` index)."""
    qs = Order.objects.for_tenant(tenant)
    if (q or "").strip():
        qs = qs.filter(email__startswith=q.strip().lower())
    return (
        qs.values("email")
        .annotate(
            orders=Count("id"),
            spent=Sum("total", filter=Q(payment_status__in=SPENT_STATUSES), default=Decimal("0.00")),
            last_order_at=Max("created_at"),
        )
        .order_by("-last_order_at", "email")
    )


@dataclass(frozen=True)
class Customer:
    """One email's orders in a shop, newest first, with the figures of the list."""

    email: str
    orders: list[Order]
    spent: Decimal
    currency: str
    last_order: Order

    @property
    def order_count(self) -> int:
        return len(self.orders)


def get_customer(*, tenant, email: str) -> Customer:
    """The orders of ``email`` in the shop; :class:`NotFound` if it has none."""
    email = (email or "").strip().lower()
    orders = list(
        Order.objects.for_tenant(tenant)
        .filter(email=email)
        .only("id", "number", "email", "status", "payment_status", "total", "currency", "created_at")
        .order_by("-created_at", "-id")
    )
    if not email or not orders:
        raise NotFound("No orders for this email.")
    spent = sum((o.total for o in orders if o.payment_status in SPENT_STATUSES), Decimal("0.00"))
    return Customer(email=email, orders=orders, spent=spent, currency=orders[0].currency, last_order=orders[0])


def customer_last_seen(customer: Customer) -> datetime:
    """When the customer last ordered."""
    return customer.last_order.created_at
