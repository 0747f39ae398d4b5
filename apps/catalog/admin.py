"""Django admin for platform staff: every tenant's catalog (querysets use ``all_tenants()``)."""

from django import forms
from django.contrib import admin
from django.db import models

from apps.catalog import services
from apps.catalog.models import CatalogJob, Category, Product, ProductImage, Variant
from apps.core.admin_filters import AutocompleteFilter


class TenantConsistentForm(forms.ModelForm):
    """Refuses to link rows of two tenants: every field named in ``tenant_related_fields`` must
    point at a row of the object's own tenant (the chosen ``tenant`` on add, the saved one on change).
    """

    tenant_related_fields: tuple[str, ...] = ()
    # No Meta here: the ModelAdmin builds the form for its model and field list (modelform_factory).

    def clean(self):
        cleaned = super().clean()
        tenant = cleaned.get("tenant") if "tenant" in self.fields else None
        tenant_id = tenant.pk if tenant is not None else self.instance.tenant_id
        if tenant_id is None:
            return cleaned  # no tenant chosen: the required-field error already says so
        for name in self.tenant_related_fields:
            related = cleaned.get(name)
            if related is not None and related.tenant_id != tenant_id:
                self.add_error(
                    name,
                    forms.ValidationError(
                        "%(related)s belongs to another shop; choose a %(label)s of the same shop.",
                        code="cross_tenant",
                        params={"related": related, "label": related._meta.verbose_name},
                    ),
                )
        self._check_unique_per_tenant(cleaned, tenant_id)
        return cleaned

    def _get_validation_exclusions(self):
        # Django's own constraint check queries the fail-closed default manager unscoped and would
        # crash; the per-tenant unique constraints are checked in _check_unique_per_tenant instead.
        return {*super()._get_validation_exclusions(), "tenant"}

    def _check_unique_per_tenant(self, cleaned, tenant_id) -> None:
        model = self._meta.model
        for constraint in model._meta.constraints:
            fields = [name for name in getattr(constraint, "fields", ()) if name != "tenant"]
            if not isinstance(constraint, models.UniqueConstraint) or not fields:
                continue
            values = {name: cleaned.get(name, getattr(self.instance, name, None)) for name in fields}
            if any(value is None for value in values.values()):
                continue
            clash = model.objects.all_tenants().filter(tenant_id=tenant_id, **values).exclude(pk=self.instance.pk)
            if clash.exists():
                names = ", ".join(fields)
                self.add_error(None, f"This shop already has a {model._meta.verbose_name} with this {names}.")


class CategoryAdminForm(TenantConsistentForm):
    tenant_related_fields = ("parent",)

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if self.instance.pk and parent is not None and parent.path.startswith(self.instance.path):
            self.add_error("parent", "A category cannot move under itself or its descendants.")
        return cleaned


class ProductAdminForm(TenantConsistentForm):
    tenant_related_fields = ("category",)


class VariantAdminForm(TenantConsistentForm):
    tenant_related_fields = ("product",)


class SameTenantInlineFormSet(forms.BaseInlineFormSet):
    """New inline rows (variants, images) take the parent product's tenant. Existing rows are
    limited to the product's own children (the hidden id field looks only among them)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django builds the id field on the model's default manager, which refuses unscoped queries.
        form.fields[self._pk_field.name].queryset = self.get_queryset()

    def save_new(self, form, commit=True):
        form.instance.tenant_id = self.instance.tenant_id
        return super().save_new(form, commit=commit)


class TenantFixedOnChangeMixin:
    """A saved row keeps its tenant: moving it would leave its children and links in the old shop.
    On change, the form's tenant-related choices are limited to that shop as well (the add form
    cannot know the shop before it is chosen, so there the form's ``clean()`` alone guards)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            for name in getattr(form, "tenant_related_fields", ()):
                field = form.base_fields.get(name)
                if field is None:
                    continue
                label = field.queryset.model._meta.verbose_name
                field.queryset = field.queryset.filter(tenant_id=obj.tenant_id)
                field.error_messages["invalid_choice"] = (
                    f"That {label} belongs to another shop or no longer exists; choose one of this shop's."
                )
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and "tenant" not in fields:
            fields.append("tenant")
        return fields


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
    formset = SameTenantInlineFormSet
    extra = 0
    fields = ["sku", "options", "price", "compare_at_price", "currency", "stock", "low_stock_threshold", "position"]


class ImageInline(AllTenantsMixin, admin.TabularInline):
    model = ProductImage
    formset = SameTenantInlineFormSet
    extra = 0
    fields = ["image", "alt", "position", "width", "height"]
    readonly_fields = ["width", "height"]


@admin.register(Category)
class CategoryAdmin(TenantFixedOnChangeMixin, AllTenantsMixin, admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["name", "slug", "tenant", "depth", "path"]
    list_filter = [("tenant", AutocompleteFilter)]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["tenant", "parent"]
    list_select_related = ["tenant"]
    readonly_fields = ["path", "depth"]

    def save_model(self, request, obj, form, change):
        """Through the catalog services: they keep the tree's paths (and the subtree's, on a move)
        right and bump the tenant's cache version."""
        fields = {name: form.cleaned_data.get(name) for name in ("name", "slug", "parent", "description")}
        if change:
            services.update_category(tenant=obj.tenant, category=obj, data=fields)
            return
        created = services.create_category(tenant=obj.tenant, **fields)
        for field in Category._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))


class CatalogEffectsAdminMixin:
    """Admin writes to products and variants have the effects of service writes: price/stock
    summaries recomputed, search vector refreshed, the tenant's cache version bumped (so a product
    unpublished or deleted by staff leaves the storefront and the public API at once)."""

    def _product_id(self, obj) -> int:
        return obj.pk if isinstance(obj, Product) else obj.product_id

    def _apply_effects(self, tenant_id: int, product_ids: list[int]) -> None:
        services.refresh_product_summaries(tenant=tenant_id, product_ids=product_ids)
        services.refresh_sale_percentages(tenant=tenant_id, product_ids=product_ids)
        services.catalog_changed(tenant_id=tenant_id, product_ids=product_ids)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._apply_effects(form.instance.tenant_id, [self._product_id(form.instance)])

    def delete_model(self, request, obj):
        tenant_id, product_id = obj.tenant_id, self._product_id(obj)
        super().delete_model(request, obj)
        self._apply_effects(tenant_id, [product_id])

    def delete_queryset(self, request, queryset):
        affected: dict[int, set[int]] = {}
        for obj in queryset:
            affected.setdefault(obj.tenant_id, set()).add(self._product_id(obj))
        super().delete_queryset(request, queryset)
        for tenant_id, product_ids in affected.items():
            self._apply_effects(tenant_id, sorted(product_ids))


@admin.register(Product)
class ProductAdmin(CatalogEffectsAdminMixin, TenantFixedOnChangeMixin, AllTenantsMixin, admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ["name", "tenant", "status", "category", "price_min", "stock_total", "updated_at"]
    list_filter = ["status", ("tenant", AutocompleteFilter)]
    search_fields = ["name", "slug", "=public_id"]
    autocomplete_fields = ["tenant", "category"]
    list_select_related = ["tenant", "category"]
    readonly_fields = [
        "public_id",
        "price_min",
        "price_max",
        "sale_percentage",
        "effective_price_min",
        "stock_total",
        "created_at",
        "updated_at",
    ]
    exclude = ["search_vector"]
    inlines = [VariantInline, ImageInline]
    show_full_result_count = False  # no COUNT(*) over every tenant's products on each page


@admin.register(Variant)
class VariantAdmin(CatalogEffectsAdminMixin, TenantFixedOnChangeMixin, AllTenantsMixin, admin.ModelAdmin):
    form = VariantAdminForm
    list_display = ["sku", "product", "tenant", "price", "currency", "stock"]
    list_filter = [("tenant", AutocompleteFilter)]
    search_fields = ["sku", "product__name"]
    autocomplete_fields = ["tenant", "product"]
    list_select_related = ["tenant", "product"]
    show_full_result_count = False
    # Allocations belong to placed orders and move only through apps.catalog.stock.
    readonly_fields = ["allocated"]


@admin.register(CatalogJob)
class CatalogJobAdmin(AllTenantsMixin, admin.ModelAdmin):
    list_display = ["id", "tenant", "kind", "status", "total_rows", "error_count", "created_at"]
    list_filter = ["kind", "status", ("tenant", AutocompleteFilter)]
    list_select_related = ["tenant"]
    readonly_fields = [f.name for f in CatalogJob._meta.fields]
