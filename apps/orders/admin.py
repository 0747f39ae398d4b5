"""Django admin for platform staff: every tenant's carts, orders and selling settings, read-only.

Orders, their lines and events are history: nothing here changes them (staff use the console,
whose actions go through the services and append events). Querysets cross tenants on purpose
(``all_tenants()``): this is the platform's view.
"""

from django.contrib import admin

from apps.core.admin_readonly import ReadOnlyTenantAdmin, ReadOnlyTenantInline
from apps.orders.models import (
    Cart,
    CartLine,
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    OrderNote,
    SellingSettings,
    ShippingMethod,
    ShippingZone,
    StockHold,
    TaxRate,
)


class OrderLineInline(ReadOnlyTenantInline):
    model = OrderLine
    fields = (
        "product_name",
        "sku",
        "options",
        "quantity",
        "quantity_fulfilled",
        "quantity_cancelled",
        "quantity_returned",
        "unit_price",
        "tax_rate",
        "tax",
        "total",
    )
    readonly_fields = fields


class OrderEventInline(ReadOnlyTenantInline):
    model = OrderEvent
    fields = ("created_at", "kind", "actor", "actor_label", "data")
    readonly_fields = fields


class FulfilmentInline(ReadOnlyTenantInline):
    model = Fulfilment
    fields = ("sequence", "carrier", "tracking_number", "tracking_url", "created_by", "created_at")
    readonly_fields = fields


class OrderNoteInline(ReadOnlyTenantInline):
    model = OrderNote
    fields = ("created_at", "author", "body")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyTenantAdmin):
    list_display = (
        "number",
        "tenant",
        "email",
        "status",
        "payment_status",
        "payment_method",
        "total",
        "currency",
        "created_at",
    )
    list_filter = ("status", "payment_status", "payment_method")
    search_fields = ("email", "tenant__slug", "=number")
    inlines = [OrderLineInline, FulfilmentInline, OrderNoteInline, OrderEventInline]
    date_hierarchy = "created_at"


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyTenantAdmin):
    list_display = ("order", "tenant", "kind", "actor_label", "created_at")
    list_filter = ("kind",)
    search_fields = ("kind", "tenant__slug")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order")


class CartLineInline(ReadOnlyTenantInline):
    model = CartLine
    fields = ("variant", "quantity", "unit_price")
    readonly_fields = fields


@admin.register(Cart)
class CartAdmin(ReadOnlyTenantAdmin):
    list_display = ("pk", "tenant", "status", "user", "email", "updated_at")
    list_filter = ("status",)
    search_fields = ("email", "tenant__slug")
    exclude = ("token",)  # the cart's bearer secret is not shown
    inlines = [CartLineInline]


@admin.register(StockHold)
class StockHoldAdmin(ReadOnlyTenantAdmin):
    list_display = ("cart", "tenant", "variant", "quantity", "expires_at")
    search_fields = ("tenant__slug",)


@admin.register(ShippingZone)
class ShippingZoneAdmin(ReadOnlyTenantAdmin):
    list_display = ("name", "tenant", "countries")
    search_fields = ("name", "tenant__slug")


@admin.register(ShippingMethod)
class ShippingMethodAdmin(ReadOnlyTenantAdmin):
    list_display = ("name", "tenant", "zone", "price", "free_over", "min_weight_grams", "max_weight_grams", "is_active")
    search_fields = ("name", "tenant__slug")


@admin.register(TaxRate)
class TaxRateAdmin(ReadOnlyTenantAdmin):
    list_display = ("tenant", "country", "name", "rate")
    search_fields = ("tenant__slug", "name")


@admin.register(SellingSettings)
class SellingSettingsAdmin(ReadOnlyTenantAdmin):
    list_display = ("tenant", "prices_include_tax", "hold_minutes", "unpaid_order_expiry_minutes")
    search_fields = ("tenant__slug",)
