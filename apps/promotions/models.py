"""Vouchers (codes a shopper enters), their redemptions, and automatic sales.

The rules that must hold under concurrency are the database's: a voucher's ``used_count`` never
passes its ``usage_limit`` (CHECK, on a row locked while an order is placed), and a
once-per-customer voucher has at most one redemption per email (partial UNIQUE).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from apps.tenants.scoping import TenantOwnedModel


class VoucherKind(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage off"
    FIXED = "fixed", "Fixed amount off"
    FREE_SHIPPING = "free_shipping", "Free shipping"


class Voucher(TenantOwnedModel):
    """A code worth ``value`` (% for ``percentage``, money for ``fixed``; unused for free
    shipping) off the order, or only off the lines of ``products`` / ``categories`` (and their
    subcategories) when either is set. Valid from ``starts_at`` to ``ends_at`` (open ends allowed),
    above ``min_subtotal``, at most ``usage_limit`` times, once per email if ``once_per_customer``."""

    code = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=16, choices=VoucherKind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    min_subtotal = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(null=True, blank=True)
    used_count = models.PositiveIntegerField(default=0)
    once_per_customer = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+")
    categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("code"), "tenant", name="promotions_voucher_unique_code_ci"),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(used_count__lte=F("usage_limit")),
                name="promotions_voucher_used_lte_limit",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="promotions_voucher_value_gte_0"),
            models.CheckConstraint(
                condition=~Q(kind="percentage") | Q(value__lte=100), name="promotions_voucher_percentage_lte_100"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="promotions_voucher_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherRedemption(TenantOwnedModel):
    """One use of a voucher by an order, written in the order's own transaction (a failed order
    leaves none). ``order_id`` is the ``apps.orders`` order (a plain id: promotions sits below
    orders). ``per_customer`` copies the voucher's flag so the partial UNIQUE can enforce it."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    email = models.EmailField()
    order_id = models.BigIntegerField()
    per_customer = models.BooleanField(default=False)
    discount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "email"],
                condition=Q(per_customer=True),
                name="promotions_redemption_once_per_email",
            ),
            models.UniqueConstraint(fields=["voucher", "order_id"], name="promotions_redemption_once_per_order"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="promotions_redemption_email_lower"),
        ]
        indexes = [models.Index(fields=["tenant", "voucher", "email"], name="promo_redemption_email_idx")]

    def __str__(self) -> str:
        return f"{self.voucher_id} by {self.email}"


class Sale(TenantOwnedModel):
    """``percentage`` off every product of ``category`` (and its subcategories) or of
    ``products``, from ``starts_at`` to ``ends_at``. The storefront shows the sale price with the
    old price struck; carts and checkout use it. ``start_announced`` / ``end_announced`` record
    that the beat job bumped the catalog version when the sale began / ended."""

    name = models.CharField(max_length=100)
    percentage = models.DecimalField(max_digits=5, decimal_places=2)
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    start_announced = models.BooleanField(default=False)
    end_announced = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__gt=0, percentage__lt=100), name="promotions_sale_percentage_range"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="promotions_sale_ends_after_start"),
        ]
        indexes = [models.Index(fields=["tenant", "starts_at", "ends_at"], name="promo_sale_period_idx")]

    def __str__(self) -> str:
        return self.name
