"""After the sale: shipments (fulfilments) line by line, returns, and staff notes on an order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.orders.carriers import CARRIER_CHOICES, tracking_link
from apps.tenants.scoping import TenantOwnedModel


class Fulfilment(TenantOwnedModel):
    """One shipment of some (or all) of an order's units, with its carrier and tracking number.
    ``sequence`` is 1, 2, ... per order (``UNIQUE(order, sequence)``)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="fulfilments")
    sequence = models.PositiveIntegerField()
    carrier = models.CharField(max_length=32, choices=CARRIER_CHOICES, blank=True, default="")
    tracking_number = models.CharField(max_length=100, blank=True, default="")
    tracking_url = models.URLField(max_length=500, blank=True, default="")  # "other" carriers only
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "sequence"]
        constraints = [models.UniqueConstraint(fields=["order", "sequence"], name="orders_fulfilment_unique_sequence")]
        indexes = [models.Index(fields=["tenant", "order"], name="orders_fulfilment_order_idx")]

    def __str__(self) -> str:
        return f"Shipment {self.sequence} of order {self.order_id}"

    @property
    def tracking_link(self) -> str:
        """The link the shopper follows (the carrier's tracking page), or ""."""
        return tracking_link(carrier=self.carrier, number=self.tracking_number, url=self.tracking_url)

    @property
    def carrier_label(self) -> str:
        return self.get_carrier_display() if self.carrier else ""


class FulfilmentLine(TenantOwnedModel):
    """How many units of one order line a shipment carried."""

    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE, related_name="fulfilment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_fulfilment_line_quantity_gte_1"),
            models.UniqueConstraint(fields=["fulfilment", "order_line"], name="orders_fulfilment_line_once"),
        ]
        indexes = [models.Index(fields=["tenant", "fulfilment"], name="orders_fline_fulfilment_idx")]


class Return(TenantOwnedModel):
    """Units a shopper sent back, recorded by staff; ``restocked`` when they went back on sale."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="returns")
    restocked = models.BooleanField(default=False)
    reason = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["tenant", "order"], name="orders_return_order_idx")]


class ReturnLine(TenantOwnedModel):
    """How many units of one order line came back in a return."""

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE, related_name="return_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_return_line_quantity_gte_1"),
            models.UniqueConstraint(fields=["return_record", "order_line"], name="orders_return_line_once"),
        ]
        indexes = [models.Index(fields=["tenant", "return_record"], name="orders_rline_return_idx")]


class OrderNote(TenantOwnedModel):
    """A note staff leave on an order for each other (never shown to the shopper)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["tenant", "order", "created_at"], name="orders_note_order_idx")]
