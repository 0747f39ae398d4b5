from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "apps.tenants"
    label = "tenants"
    verbose_name = "Tenants"

    def ready(self) -> None:
        from apps.tenants import signals  # noqa: F401  (connects the cache invalidation receivers)
