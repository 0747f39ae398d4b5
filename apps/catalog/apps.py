from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from apps.catalog.tenant_deletion import list_tenant_files
        from apps.tenants.deletion import register_tenant_deletion_hook

        register_tenant_deletion_hook(list_tenant_files)
