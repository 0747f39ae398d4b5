"""Django admin for analytics: settings, consent and privacy requests (read-mostly)."""

from django.contrib import admin

from apps.analytics import services
from apps.analytics.models import AnalyticsSettings, Consent, PrivacyRequest, ReportExport


@admin.register(AnalyticsSettings)
class AnalyticsSettingsAdmin(admin.ModelAdmin):
    list_display = ("tenant", "retention_months", "honour_gpc", "key_rotated_at")
    readonly_fields = ("ingest_key", "key_rotated_at", "updated_at")
    raw_id_fields = ("tenant",)

    def get_queryset(self, request):
        return AnalyticsSettings.objects.all_tenants().select_related("tenant")

    def save_model(self, request, obj, form, change):
        """Edits go through the service, so the beacon's cached settings are dropped at once."""
        if not change:
            super().save_model(request, obj, form, change)
        services.update_settings(tenant=obj.tenant, retention_months=obj.retention_months, honour_gpc=obj.honour_gpc)


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ("report", "tenant", "date_from", "date_to", "status", "created_at")
    list_filter = ("status", "report")
    readonly_fields = ("public_id", "file_name", "created_at", "finished_at")
    raw_id_fields = ("tenant", "requested_by")

    def get_queryset(self, request):
        return ReportExport.objects.all_tenants().select_related("tenant")


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "analytics", "updated_at")
    raw_id_fields = ("user",)


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = (
        "public_id",
        "kind",
        "user",
        "subject",
        "status",
        "file_name",
        "verification",
        "created_at",
        "finished_at",
    )

    def has_add_permission(self, request):
        return False
