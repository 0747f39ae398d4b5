"""Carts, their lines, and the stock holds checkout places on them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.tenants.scoping import TenantOwnedModel


class CartStatus(models.TextChoices):
    OPEN = "open", "Open"
    ORDERED = "ordered", "Ordered"


class Cart(TenantOwnedModel):
    """A shopper's cart. ``token`` is its bearer secret: in a signed HttpOnly cookie on the
    storefront, in the URL for API clients. A signed-in shopper's open cart has ``user`` set."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=CartStatus.choices, default=CartStatus.OPEN)
    email = models.EmailField(blank=True, default="")
    shipping_address = models.JSONField(default=dict, blank=True)
    shipping_method = models.ForeignKey(
        "orders.ShippingMethod", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payment_method = models.CharField(max_length=40, blank=True, default="")
    # The voucher the shopper entered (apps.promotions); re-checked on every review and at placing.
    voucher = models.ForeignKey(
        "promotions.Voucher", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One open cart per signed-in shopper and shop.
            models.UniqueConstraint(
                fields=["tenant", "user"], condition=Q(status="open", user__isnull=False), name="orders_cart_one_open"
            )
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="orders_cart_expiry_idx")]

    def __str__(self) -> str:
        return f"Cart {self.pk}"


class CartLine(TenantOwnedModel):
    """``unit_price`` is the price the shopper has seen and accepted; a catalog change since then
    is shown as a problem on the line and blocks placing until accepted."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="orders_cartline_unique_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_cartline_quantity_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id}"


class StockHold(TenantOwnedModel):
    """Units of a variant kept for a cart during checkout until ``expires_at``. An expired hold
    counts for nothing (every availability query filters ``expires_at > now()``), so no job has to
    run for the stock to be free again; the expiry job only deletes old rows."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="holds")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="orders_hold_unique_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_hold_quantity_gte_1"),
        ]
        indexes = [models.Index(fields=["tenant", "variant", "expires_at"], name="orders_hold_live_idx")]

    def __str__(self) -> str:
        return f"Hold of {self.quantity} x {self.variant_id} for cart {self.cart_id}"
