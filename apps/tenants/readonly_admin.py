"""Read-only Django admin bases for tenant-owned history (orders, payments, promotions): platform
staff list, search and view every tenant's rows (``all_tenants()`` on purpose), and change
nothing; shops change them in the console, through the services."""

from django.contrib import admin


class ReadOnlyTenantAdmin(admin.ModelAdmin):
    """List, search and view across tenants; no add, change or delete."""

    def get_queryset(self, request):
        return self.model.objects.all_tenants().select_related("tenant")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTenantInline(admin.TabularInline):
    """Rows of the parent object (the formset narrows them to it), shown, never edited."""

    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return self.model.objects.all_tenants()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
