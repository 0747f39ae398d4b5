"""Django admin for invoices: issued invoices are records (read-only); settings are editable."""

from django.contrib import admin

from apps.core.admin_readonly import ReadOnlyAdminMixin
from apps.invoices.models import Invoice, InvoiceSettings


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "tenant", "order", "issued_at", "rendered_at")
    search_fields = ("number", "tenant__slug")
    exclude = ("pdf",)

    def get_queryset(self, request):
        return Invoice.objects.all_tenants().select_related("tenant", "order").defer("pdf")


@admin.register(InvoiceSettings)
class InvoiceSettingsAdmin(admin.ModelAdmin):
    list_display = ("tenant", "legal_name", "tax_id", "attach_to_paid_email", "updated_at")
    search_fields = ("tenant__slug", "legal_name")

    def get_queryset(self, request):
        return InvoiceSettings.objects.all_tenants().select_related("tenant")
