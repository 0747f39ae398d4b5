"""Per-tenant selling configuration: shipping zones and methods, tax rates, selling settings."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField

from apps.tenants.scoping import TenantOwnedModel


class SellingSettings(TenantOwnedModel):
    """One row per tenant (created on first use with these defaults)."""

    prices_include_tax = models.BooleanField(
        default=True, help_text="Catalog prices are entered with tax included (EU style); off: tax is added (US style)"
    )
    hold_minutes = models.PositiveIntegerField(default=10, help_text="How long checkout holds a cart's stock")
    unpaid_order_expiry_minutes = models.PositiveIntegerField(
        default=30, help_text="Card orders still unpaid after this are cancelled and release their stock"
    )
    max_line_quantity = models.PositiveIntegerField(default=50)
    max_cart_lines = models.PositiveIntegerField(default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "selling settings"
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="orders_settings_one_per_tenant"),
            models.CheckConstraint(condition=Q(hold_minutes__gte=1, hold_minutes__lte=120), name="orders_hold_1_120"),
            models.CheckConstraint(
                condition=Q(max_line_quantity__gte=1) & Q(max_cart_lines__gte=1), name="orders_cart_limits_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Selling settings of {self.tenant_id}"


class ShippingZone(TenantOwnedModel):
    """Countries shipped to with the same methods."""

    name = models.CharField(max_length=100)
    countries = CountryField(multiple=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="orders_zone_unique_name")]

    def __str__(self) -> str:
        return self.name


class ShippingMethod(TenantOwnedModel):
    """A way to ship within a zone: a flat ``price``, free from ``free_over`` (subtotal), and
    offered only for carts weighing ``min_weight_grams``..``max_weight_grams`` (shipping by weight
    is a set of methods with weight bands)."""

    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="methods")
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    free_over = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    min_weight_grams = models.PositiveIntegerField(null=True, blank=True)
    max_weight_grams = models.PositiveIntegerField(null=True, blank=True)
    delivery_estimate = models.CharField(max_length=100, blank=True, default="", help_text="e.g. 2-4 business days")
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "price", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="orders_method_price_gte_0"),
            models.CheckConstraint(
                condition=Q(free_over__isnull=True) | Q(free_over__gte=0), name="orders_method_free_over_gte_0"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "zone"], name="orders_method_zone_idx")]

    def __str__(self) -> str:
        return self.name


class TaxRate(TenantOwnedModel):
    """A tax rate for a country; the row with an empty country is the tenant's default."""

    country = CountryField(blank=True)
    rate = models.DecimalField(max_digits=5, decimal_places=4, help_text="0.2000 is 20 %")
    name = models.CharField(max_length=60, blank=True, default="VAT")

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "country"], name="orders_tax_unique_country"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=1), name="orders_tax_rate_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.country or 'default'}: {self.rate}"
