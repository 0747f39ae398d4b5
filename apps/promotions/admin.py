"""Django admin for platform staff: every tenant's vouchers, redemptions and sales, read-only.

Shops change them in the console (through the services, which validate, keep the usage counts
and bump the catalog version); here staff look across tenants (``all_tenants()`` on purpose).
"""

from django.contrib import admin

from apps.core.admin_readonly import ReadOnlyTenantAdmin, ReadOnlyTenantInline
from apps.promotions.models import Sale, Voucher, VoucherRedemption


class RedemptionInline(ReadOnlyTenantInline):
    model = VoucherRedemption
    fields = ("email", "order_id", "discount", "created_at")
    readonly_fields = fields


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyTenantAdmin):
    list_display = ("code", "tenant", "kind", "value", "used_count", "usage_limit", "starts_at", "ends_at", "is_active")
    list_filter = ("kind", "is_active", "once_per_customer")
    search_fields = ("code", "tenant__slug")
    inlines = [RedemptionInline]


@admin.register(VoucherRedemption)
class VoucherRedemptionAdmin(ReadOnlyTenantAdmin):
    list_display = ("voucher", "tenant", "email", "order_id", "discount", "created_at")
    search_fields = ("email", "voucher__code")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("voucher")


@admin.register(Sale)
class SaleAdmin(ReadOnlyTenantAdmin):
    list_display = ("name", "tenant", "percentage", "category", "starts_at", "ends_at", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "tenant__slug")
