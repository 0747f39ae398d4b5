from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "apps.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from apps.analytics.tenant_deletion import purge_tenant_analytics
        from apps.tenants.deletion import register_tenant_deletion_hook

        register_tenant_deletion_hook(purge_tenant_analytics)
