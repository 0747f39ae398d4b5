"""Django admin for platform staff: every tenant's vouchers, redemptions and sales, read-only.

Shops change them in the console (through the services, which validate, keep the usage counts
and bump the catalog version); here staff look across tenants (``all_tenants()`` on purpose).
"""

from django.contrib import admin

from apps.promotions.models import Sale, Voucher, VoucherRedemption


class ReadOnlyAdmin(admin.ModelAdmin):
    """List, search and view; no add, change or delete."""

    def get_queryset(self, request):
        return self.model.objects.all_tenants().select_related("tenant")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RedemptionInline(admin.TabularInline):
    model = VoucherRedemption
    extra = 0
    can_delete = False
    fields = ("email", "order_id", "discount", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return self.model.objects.all_tenants()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ("code", "tenant", "kind", "value", "used_count", "usage_limit", "starts_at", "ends_at", "is_active")
    list_filter = ("kind", "is_active", "once_per_customer")
    search_fields = ("code", "tenant__slug")
    inlines = [RedemptionInline]


@admin.register(VoucherRedemption)
class VoucherRedemptionAdmin(ReadOnlyAdmin):
    list_display = ("voucher", "tenant", "email", "order_id", "discount", "created_at")
    search_fields = ("email", "voucher__code")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("voucher")


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdmin):
    list_display = ("name", "tenant", "percentage", "category", "starts_at", "ends_at", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "tenant__slug")
