"""Django admin for payments. Payments, their transactions and webhook events are history: read-only.
Provider settings are editable, but their secrets are never shown (only whether they are set)."""

from django.contrib import admin

from apps.core.admin_readonly import ReadOnlyAdminMixin
from apps.payments.models import Payment, PaymentProviderConfig, PaymentTransaction, Refund, WebhookEvent


@admin.register(PaymentProviderConfig)
class PaymentProviderConfigAdmin(admin.ModelAdmin):
    list_display = ("tenant", "provider", "enabled", "secret_key_set", "webhook_secret_set", "updated_at")
    list_filter = ("provider", "enabled")
    search_fields = ("tenant__slug",)
    fields = (
        "tenant",
        "provider",
        "enabled",
        "instructions",
        "publishable_key",
        "secret_key_set",
        "webhook_secret_set",
    )
    readonly_fields = ("tenant", "provider", "publishable_key", "secret_key_set", "webhook_secret_set")

    def get_queryset(self, request):
        return PaymentProviderConfig.objects.all_tenants().select_related("tenant")

    def has_add_permission(self, request):
        return False  # tenants configure providers in their console (keys are theirs)

    @admin.display(boolean=True, description="Secret key set")
    def secret_key_set(self, obj) -> bool:
        return bool(obj.secret_key)

    @admin.display(boolean=True, description="Webhook secret set")
    def webhook_secret_set(self, obj) -> bool:
        return bool(obj.webhook_secret)


class PaymentTransactionInline(admin.TabularInline):
    model = PaymentTransaction
    fields = ("created_at", "kind", "status", "actor", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return PaymentTransaction.objects.all_tenants().select_related(
            "actor"
        )  # narrowed to the payment by the formset


class RefundInline(PaymentTransactionInline):
    model = Refund
    fields = ("created_at", "amount", "currency", "status", "manual", "reason", "provider_reference", "created_by")
    readonly_fields = fields

    def get_queryset(self, request):
        return Refund.objects.all_tenants().select_related("created_by")  # narrowed to the payment


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "tenant", "order", "provider", "status", "amount", "currency", "created_at")
    list_filter = ("provider", "status")
    search_fields = ("provider_reference", "tenant__slug")
    exclude = ("client_secret",)
    inlines = [RefundInline, PaymentTransactionInline]

    def get_queryset(self, request):
        return Payment.objects.all_tenants().select_related("tenant", "order")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("event_id", "tenant", "provider", "type", "outcome", "received_at", "applied_at")
    list_filter = ("provider", "outcome", "type")
    search_fields = ("event_id", "tenant__slug")

    def get_queryset(self, request):
        return WebhookEvent.objects.all_tenants().select_related("tenant", "payment")
