"""Django admin for platform staff: tenants, memberships, invitations and the audit trail.

Every change made here is recorded by Django's admin log (``LogEntry``); membership edits also
invalidate the membership cache (``apps.tenants.signals``). Slugs and token hashes are read-only.

Sized for 10,000 tenants and 10^5–10^6 members and audit entries: no list filter lists every
tenant (``RelatedOnlyFieldListFilter`` rendered 10,000 links and scanned the table for them),
searches are single indexed lookups, and counts are estimated (``LargeTableAdminMixin``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from apps.core.admin_paging import LargeTableAdminMixin
from apps.core.admin_readonly import ReadOnlyAdminMixin
from apps.core.errors import ApplicationError
from apps.tenants.access import forget_domain, invalidate_tenant_pages
from apps.tenants.deletion import purge_tenant
from apps.tenants.forms import CURRENCY_CHOICES
from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant
from apps.tenants.services import record_audit, reinstate_tenant, suspend_tenant
from apps.tenants.validation import validate_time_zone


class StaffAuditMixin:
    """Also write platform staff's changes into the tenant's own audit trail (``staff.*`` actions),
    next to Django's ``LogEntry``, so a shop can see what support changed."""

    def _tenant_of(self, obj):
        return obj if isinstance(obj, Tenant) else obj.tenant

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        action = f"staff.{obj._meta.model_name}_{'change' if change else 'add'}"
        record_audit(tenant=self._tenant_of(obj), actor=request.user, action=action, target=str(obj), metadata=changed)

    def delete_model(self, request, obj):
        tenant = self._tenant_of(obj)
        if not isinstance(obj, Tenant):
            record_audit(
                tenant=tenant, actor=request.user, action=f"staff.{obj._meta.model_name}_delete", target=str(obj)
            )
        super().delete_model(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class TenantAdminForm(forms.ModelForm):
    """The tenant's fields, with the currency chosen from the ISO 4217 list the console offers and
    the time zone checked against the IANA names."""

    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, initial="EUR")

    class Meta:
        model = Tenant
        # The admin builds its field list from this form's (minus its read-only fields): all of them.
        fields = "__all__"  # noqa: DJ007

    def clean_time_zone(self):
        """An IANA name (the console's rule), not free text."""
        return validate_time_zone(self.cleaned_data["time_zone"])


class SuspendForm(forms.Form):
    reason = forms.CharField(
        max_length=300, widget=forms.Textarea(attrs={"rows": 3}), help_text="The shop's staff read this in the console."
    )


class SuspendedFilter(admin.SimpleListFilter):
    title = "suspended"
    parameter_name = "suspended"

    def lookups(self, request, model_admin):
        return [("yes", "Suspended"), ("no", "Open")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(suspended_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(suspended_at__isnull=True)
        return queryset


@admin.register(Tenant)
class TenantAdmin(LargeTableAdminMixin, StaffAuditMixin, admin.ModelAdmin):
    form = TenantAdminForm
    list_display = ["name", "slug", "currency", "time_zone", "state", "open_links", "created_at"]
    # No currency filter or date hierarchy: each scanned every tenant (DISTINCT) on every page.
    list_filter = [SuspendedFilter, "created_at"]
    search_fields = ["name", "slug"]
    # Suspension goes through the actions (reason required, caches cleared, audited), not the form.
    readonly_fields = ["public_id", "suspended_at", "suspension_reason", "created_at", "updated_at"]
    inlines = [MembershipInline]
    actions = ["suspend_tenants", "reinstate_tenants"]

    @admin.display(description="state")
    def state(self, obj):
        return "suspended" if obj.suspended_at else "open"

    @admin.display(description="open")
    def open_links(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">storefront</a> · '
            '<a href="{}" target="_blank" rel="noopener">console</a>',
            reverse("storefront:home", args=[obj.slug]),
            f"/a/{obj.slug}/",
        )

    @admin.action(description="Suspend the selected shops (storefront and API closed)")
    def suspend_tenants(self, request, queryset):
        """First an intermediate page asking the reason, then the suspension of each shop."""
        form = SuspendForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            count = 0
            for tenant in queryset:
                try:
                    suspend_tenant(tenant=tenant, actor=request.user, reason=form.cleaned_data["reason"])
                except ApplicationError as exc:
                    self.message_user(request, f"{tenant.slug}: {exc.message}", messages.ERROR)
                else:
                    count += 1
            self.message_user(request, f"{count} shop(s) suspended.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Suspend shops",
            "tenants": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/tenants/suspend_tenants.html", context)

    @admin.action(description="Reinstate the selected shops")
    def reinstate_tenants(self, request, queryset):
        count = 0
        for tenant in queryset.filter(suspended_at__isnull=False):
            reinstate_tenant(tenant=tenant, actor=request.user)
            count += 1
        self.message_user(request, f"{count} shop(s) reinstated.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        """Save, then forget the cached host -> tenant answers of the old and new domain; a new
        domain also changes the canonical links of the shop's cached pages."""
        old = Tenant.objects.filter(pk=obj.pk).values_list("domain", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        forget_domain(old, obj.domain)
        if change and old != obj.domain:
            invalidate_tenant_pages(obj.pk)

    def get_readonly_fields(self, request, obj=None):
        # The slug is the tenant's address and part of cache keys: fixed once created.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def delete_model(self, request, obj):
        """Staff deletions take the one deletion path too (events, files, retired slug)."""
        record_audit(tenant=obj, actor=request.user, action="staff.tenant_delete", target=obj.slug)
        purge_tenant(tenant=obj)

    def delete_queryset(self, request, queryset):
        for tenant in queryset:
            self.delete_model(request, tenant)


@admin.register(Membership)
class MembershipAdmin(LargeTableAdminMixin, StaffAuditMixin, admin.ModelAdmin):
    """Search: an email (anything with ``@``) finds that person's memberships, anything else the
    members of tenants whose slug contains it. One indexed lookup each, never an OR across the
    user, tenant and membership tables (which PostgreSQL can only answer by joining them all)."""

    list_display = ["user", "tenant", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "tenant__slug"]
    search_help_text = "An email address finds a person's memberships; anything else searches tenant slugs."
    autocomplete_fields = ["tenant"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "tenant"]
    readonly_fields = ["created_at", "updated_at"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if "@" in term:
            return queryset.filter(user__email__icontains=term), False
        return queryset.filter(tenant__slug__icontains=term), False


@admin.register(Invitation)
class InvitationAdmin(LargeTableAdminMixin, StaffAuditMixin, admin.ModelAdmin):
    list_display = ["email", "tenant", "role", "status", "created_at", "expires_at"]
    list_filter = ["role", "created_at"]
    search_fields = ["email", "tenant__slug", "tenant__name"]
    autocomplete_fields = ["tenant"]
    raw_id_fields = ["invited_by", "accepted_by"]
    list_select_related = ["tenant"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "accepted_by", "invited_by"]

    @admin.display(description="status")
    def status(self, obj):
        return obj.status


class ActionKindFilter(admin.SimpleListFilter):
    """Filter by the kind of action (its prefix): a fixed list, not a scan for distinct values."""

    title = "action"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("tenant.", "tenant"), ("member.", "member"), ("invitation.", "invitation"), ("staff.", "staff")]

    def queryset(self, request, queryset):
        return queryset.filter(action__startswith=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, LargeTableAdminMixin, admin.ModelAdmin):
    """The audit trail is append-only: staff can read and search it, not edit it.

    Search matches a whole tenant slug, actor email or target exactly (case-insensitively), each
    on its ``UPPER(...)`` index; a substring search over every text column of 10^6 rows was a
    full scan per page."""

    list_display = ["created_at", "tenant_slug", "action", "actor_email", "target"]
    list_filter = [ActionKindFilter, "created_at"]  # no date hierarchy: DISTINCT years of every entry
    search_fields = ["=tenant_slug", "=actor_email", "=target"]
    search_help_text = "A whole tenant slug, actor email or target (exact, any case)."
