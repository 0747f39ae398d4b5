"""Django admin for platform staff: every tenant's catalog (querysets use ``all_tenants()``)."""

from django.contrib import admin

from apps.catalog.models import CatalogJob, Category, Product, ProductImage, Variant


class AllTenantsMixin:
    """The admin crosses tenants on purpose (platform staff)."""

    def get_queryset(self, request):
        qs = self.model.objects.all_tenants()
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        manager = db_field.remote_field.model._default_manager
        if hasattr(manager, "all_tenants"):
            kwargs.setdefault("queryset", manager.all_tenants())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VariantInline(AllTenantsMixin, admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "options", "price", "compare_at_price", "currency", "stock", "low_stock_threshold", "position"]


class ImageInline(AllTenantsMixin, admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["image", "alt", "position", "width", "height"]
    readonly_fields = ["width", "height"]


@admin.register(Category)
class CategoryAdmin(AllTenantsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "tenant", "depth", "path"]
    list_filter = ["tenant"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["tenant", "parent"]
    list_select_related = ["tenant"]
    readonly_fields = ["path", "depth"]


@admin.register(Product)
class ProductAdmin(AllTenantsMixin, admin.ModelAdmin):
    list_display = ["name", "tenant", "status", "category", "price_min", "stock_total", "updated_at"]
    list_filter = ["status", "tenant"]
    search_fields = ["name", "slug", "=public_id"]
    autocomplete_fields = ["tenant", "category"]
    list_select_related = ["tenant", "category"]
    readonly_fields = ["public_id", "price_min", "price_max", "stock_total", "created_at", "updated_at"]
    exclude = ["search_vector"]
    inlines = [VariantInline, ImageInline]
    show_full_result_count = False  # no COUNT(*) over every tenant's products on each page


@admin.register(Variant)
class VariantAdmin(AllTenantsMixin, admin.ModelAdmin):
    list_display = ["sku", "product", "tenant", "price", "currency", "stock"]
    list_filter = ["tenant"]
    search_fields = ["sku", "product__name"]
    autocomplete_fields = ["tenant", "product"]
    list_select_related = ["tenant", "product"]
    show_full_result_count = False


@admin.register(CatalogJob)
class CatalogJobAdmin(AllTenantsMixin, admin.ModelAdmin):
    list_display = ["id", "tenant", "kind", "status", "total_rows", "error_count", "created_at"]
    list_filter = ["kind", "status", "tenant"]
    list_select_related = ["tenant"]
    readonly_fields = [f.name for f in CatalogJob._meta.fields]
