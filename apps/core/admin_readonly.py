"""Read-only Django admin bases for history: platform staff list, search and view rows, and change
nothing; shops change them in the console, through the services.

``ReadOnlyAdminMixin`` refuses add, change and delete. ``ReadOnlyTenantAdmin`` and
``ReadOnlyTenantInline`` add the platform's view of tenant-owned rows (``all_tenants()`` on
purpose: the admin is for platform staff, who see every tenant).
"""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """No add, change or delete: staff may look."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTenantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """List, search and view tenant-owned rows across tenants; no add, change or delete."""

    def get_queryset(self, request):
        return self.model.objects.all_tenants().select_related("tenant")


class ReadOnlyTenantInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rows of the parent object (the formset narrows them to it), shown, never edited."""

    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return self.model.objects.all_tenants()
