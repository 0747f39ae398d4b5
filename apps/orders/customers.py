"""The staff's view of a shop's customers: one row per email (guests and accounts alike, emails
are stored lower-cased) with the number of orders, the total spent and the last order.

"Spent" counts orders whose payment was received and not wholly refunded (paid or partially
refunded), at their order total; refunds are the payments app's and are not subtracted here.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from apps.core.errors import Invalid, NotFound
from apps.orders.models import Order, PaymentStatus

SPENT_STATUSES = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)
CUSTOMER_FIELDS = ("email", "orders", "spent", "currency", "last_order_at", "last_order_number")


def _latest_orders(tenant, q: str = ""):
    """Each email's newest order (the one no later order of that email follows), newest first.

    The list walks the ``(tenant, -created_at, -id)`` index and probes ``(tenant, email,
    -created_at, -id)`` once per row, so a page costs its own rows, never the whole shop."""
    later = (
        Order.objects.for_tenant(tenant)
        .filter(email=OuterRef("email"))
        .filter(Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id")))
    )
    qs = Order.objects.for_tenant(tenant).filter(~Exists(later))
    if (q or "").strip():
        qs = qs.filter(email__startswith=q.strip().lower())
    return qs.order_by("-created_at", "-id").values("id", "number", "email", "created_at", "currency")


def _with_figures(tenant, heads: list[dict]) -> list[dict]:
    """The list's rows for those newest orders: count and spent per email in one grouped query."""
    figures = {
        row["email"]: row
        for row in Order.objects.for_tenant(tenant)
        .filter(email__in=[head["email"] for head in heads])
        .values("email")
        .annotate(
            orders=Count("id"),
            spent=Sum("total", filter=Q(payment_status__in=SPENT_STATUSES), default=Decimal("0.00")),
        )
        .order_by()
    }
    return [
        {
            "email": head["email"],
            "orders": figures[head["email"]]["orders"],
            "spent": figures[head["email"]]["spent"],
            "currency": head["currency"],
            "last_order_at": head["created_at"],
            "last_order_number": head["number"],
            "last_order_id": head["id"],
        }
        for head in heads
        if head["email"] in figures
    ]


def list_customer_page(
    *, tenant, q: str = "", after: tuple[datetime, int] | None = None, limit: int = 25
) -> list[dict]:
    """Up to ``limit`` customers, most recent buyer first, after the keyset ``after``
    (``(last_order_at, last_order_id)`` of the previous page's last row): dicts of ``email``,
    ``orders``, ``spent``, ``currency``, ``last_order_at``, ``last_order_number``,
    ``last_order_id``. ``q`` narrows to emails starting with it."""
    heads = _latest_orders(tenant, q)
    if after is not None:
        at, order_id = after
        heads = heads.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=order_id))
    return _with_figures(tenant, list(heads[:limit]))


class CustomerRows:
    """The customer list as a sliceable sequence for Django's ``Paginator`` (console pages):
    ``count()`` counts distinct emails (an index-only scan), a slice reads only its rows."""

    def __init__(self, tenant, q: str = ""):
        self.tenant, self.q = tenant, q

    def count(self) -> int:
        qs = Order.objects.for_tenant(self.tenant)
        if (self.q or "").strip():
            qs = qs.filter(email__startswith=self.q.strip().lower())
        return qs.values("email").distinct().count()

    def __len__(self) -> int:
        return self.count()

    def _heads(self):
        return _latest_orders(self.tenant, self.q)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        return _with_figures(self.tenant, list(_latest_orders(self.tenant, self.q)[key]))

    def __iter__(self):
        return iter(_with_figures(self.tenant, list(_latest_orders(self.tenant, self.q))))


def list_customers(*, tenant, q: str = "") -> CustomerRows:
    """Every customer (one row per email, see :func:`list_customer_page` for a row's keys), most
    recent buyer first, as a sequence whose slices read only their rows; ``q`` narrows to emails
    starting with it (the ``(tenant, email)`` indexes)."""
    return CustomerRows(tenant, q)


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
        .only(
            "id",
            "number",
            "public_id",
            "email",
            "status",
            "payment_status",
            "payment_method",
            "total",
            "currency",
            "created_at",
        )  # fmt: skip
        .order_by("-created_at", "-id")
    )
    if not email or not orders:
        raise NotFound("No orders for this email.")
    spent = sum((o.total for o in orders if o.payment_status in SPENT_STATUSES), Decimal("0.00"))
    return Customer(email=email, orders=orders, spent=spent, currency=orders[0].currency, last_order=orders[0])


def customer_last_seen(customer: Customer) -> datetime:
    """When the customer last ordered."""
    return customer.last_order.created_at


def encode_customer_cursor(row: dict) -> str:
    """The keyset after ``row`` (a row of :func:`list_customer_page`) as URL-safe text."""
    raw = f"{row['last_order_at'].isoformat()}|{row['last_order_id']}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_customer_cursor(text: str) -> tuple[datetime, int]:
    """The keyset of :func:`encode_customer_cursor`; :class:`Invalid` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        at, order_id = raw.split("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None or not 1970 <= moment.year <= 9000 or not order_id.isdecimal() or len(order_id) > 18:
            raise ValueError(raw)
        return moment, int(order_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise Invalid({"cursor": ["Invalid cursor."]}, message="Invalid cursor.") from None
