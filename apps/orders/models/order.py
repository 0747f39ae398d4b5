"""Orders, their lines (copied at the moment of sale) and their append-only event log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round

from apps.tenants.scoping import TenantOwnedModel


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    UNFULFILLED = "unfulfilled", "Unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled", "Partially fulfilled"
    FULFILLED = "fulfilled", "Fulfilled"
    PARTIALLY_RETURNED = "partially_returned", "Partially returned"
    RETURNED = "returned", "Returned"
    CANCELLED = "cancelled", "Cancelled"


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "Unpaid"
    AUTHORISED = "authorised", "Authorised"
    PAID = "paid", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class OrderCounter(TenantOwnedModel):
    """The last order number given in a tenant (numbers are per tenant, sequential, gap-free)."""

    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="orders_counter_one_per_tenant")]


class Order(TenantOwnedModel):
    """A placed order. Money columns are in ``currency``; ``subtotal`` is the lines as priced
    (with tax when ``prices_include_tax``), ``shipping_price`` likewise, ``tax_total`` the tax in
    them (or added to them), ``total`` what the shopper pays. ``net_total + tax_total == total``.
    Statuses move only through ``apps.orders.transitions``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField()
    cart = models.ForeignKey("orders.Cart", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField()
    shipping_address = models.JSONField(default=dict)
    shipping_method_name = models.CharField(max_length=100)
    delivery_estimate = models.CharField(max_length=100, blank=True, default="")
    currency = models.CharField(max_length=3)
    prices_include_tax = models.BooleanField()
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_price = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_tax = models.DecimalField(max_digits=12, decimal_places=2)
    tax_total = models.DecimalField(max_digits=12, decimal_places=2)
    net_total = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    # A voucher's discount (apps.promotions): the lines' ``discount`` plus ``shipping_discount``;
    # ``subtotal`` and ``shipping_price`` are before it, line ``total``/``tax``/``net`` after it.
    voucher_code = models.CharField(max_length=40, blank=True, default="")
    discount_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    shipping_discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.UNFULFILLED)
    payment_status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID)
    payment_method = models.CharField(max_length=40)
    # What the shopper was told to do to pay (hooks.PaymentStep as a dict), replayed to retries.
    payment_step = models.JSONField(default=dict, blank=True)
    allocations_released = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="orders_order_unique_number"),
            models.UniqueConstraint(fields=["cart"], condition=Q(cart__isnull=False), name="orders_order_one_per_cart"),
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="orders_order_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0, subtotal__gte=0, shipping_price__gte=0, tax_total__gte=0),
                name="orders_order_amounts_gte_0",
            ),
            # Rounded to the cent: exact in PostgreSQL (numeric), and it holds on SQLite too, where
            # the embedded demo stores decimals as floats (300.39 vs 250.32 + 50.07 = 300.390...04).
            models.CheckConstraint(
                condition=Q(total=Round(models.F("net_total") + models.F("tax_total"), 2)),
                name="orders_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(
                    discount_total__gte=0, shipping_discount__gte=0, shipping_discount__lte=models.F("shipping_price")
                ),
                name="orders_order_discount_gte_0",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="orders_order_newest_idx"),
            models.Index(fields=["tenant", "status", "-created_at", "-id"], name="orders_order_status_idx"),
            models.Index(fields=["tenant", "payment_status", "-created_at", "-id"], name="orders_order_payment_idx"),
            # an email's orders, newest first: the customer detail, and the customer list's
            # "no later order of this email" probe (apps/orders/customers.py)
            models.Index(fields=["tenant", "email", "-created_at", "-id"], name="orders_order_email_latest_idx"),
            models.Index(fields=["tenant", "user", "-created_at"], name="orders_order_user_idx"),
        ]

    def __str__(self) -> str:
        return f"Order #{self.number}"


class OrderLine(TenantOwnedModel):
    """A line as sold: name, SKU, options, price and tax copied, so catalog edits never change it.
    ``total`` = ``unit_price`` x ``quantity`` - ``discount`` (a voucher's share of the order's
    discount, to the cent), ``tax`` the tax in or on that total (rounded half-up, per line),
    ``net`` the amount without tax. Refunds and invoices read ``total``/``tax``/``net``."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    product_name = models.CharField(max_length=200)
    sku = models.CharField(max_length=64)
    options = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    tax = models.DecimalField(max_digits=12, decimal_places=2)
    net = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    quantity_fulfilled = models.PositiveIntegerField(default=0)
    quantity_cancelled = models.PositiveIntegerField(default=0)
    quantity_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_line_quantity_gte_1"),
            models.CheckConstraint(
                condition=Q(quantity_fulfilled__lte=models.F("quantity")), name="orders_line_fulfilled_lte_quantity"
            ),
            models.CheckConstraint(condition=Q(discount__gte=0, total__gte=0), name="orders_line_discount_gte_0"),
            # A unit is shipped or cancelled, never both; only shipped units come back.
            models.CheckConstraint(
                condition=Q(quantity_cancelled__lte=models.F("quantity") - models.F("quantity_fulfilled")),
                name="orders_line_cancelled_lte_unshipped",
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=models.F("quantity_fulfilled")),
                name="orders_line_returned_lte_fulfilled",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "order"], name="orders_line_order_idx")]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"

    @property
    def quantity_open(self) -> int:
        """Units still to ship (neither shipped nor cancelled): what the allocation still holds."""
        return self.quantity - self.quantity_fulfilled - self.quantity_cancelled

    @property
    def quantity_returnable(self) -> int:
        """Shipped units not yet returned."""
        return self.quantity_fulfilled - self.quantity_returned


class OrderEvent(TenantOwnedModel):
    """Append-only history of an order: who (``actor``, or ``actor_label`` such as "shopper",
    "system", "stripe"), when, what (``kind`` and ``data``). Never updated or deleted by code."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=60, blank=True, default="")
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["tenant", "order", "created_at"], name="orders_event_order_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on order {self.order_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Order events are append-only")
        super().save(*args, **kwargs)
