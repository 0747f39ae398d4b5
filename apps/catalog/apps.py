from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from apps.catalog.tenant_deletion import list_tenant_files
        from apps.core.fast_paths import register_fast_path
        from apps.tenants.deletion import register_tenant_deletion_hook

        register_tenant_deletion_hook(list_tenant_files)
        # The public, token-free API reads skip the session/auth/messages middleware for anonymous
        # callers (apps/core/fast_paths.py); they read only the cache and published rows.
        for name in ("public-product-list", "public-product-detail", "public-category-list"):
            register_fast_path(f"catalog-api:{name}", methods=("GET", "HEAD"), path_prefix="/api/v1/t/")
