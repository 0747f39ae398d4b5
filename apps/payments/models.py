"""Payments' tables: per-tenant provider settings, one row per payment attempt, and every webhook
event received (its id is unique: an event is applied once). Fields and constraints only; the
writes live in ``services.py``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.core.crypto import EncryptedTextField
from apps.payments.providers.base import PaymentStatus
from apps.tenants.scoping import TenantOwnedModel

PROVIDER_CHOICES = [
    ("bank_transfer", "Bank transfer"),
    ("cash_on_delivery", "Cash on delivery"),
    ("stripe", "Card (Stripe)"),
]


class PaymentProviderConfig(TenantOwnedModel):
    """A tenant's settings for one provider. Secrets are encrypted at rest (``core.crypto``)."""

    provider = models.CharField(max_length=32, choices=PROVIDER_CHOICES)
    enabled = models.BooleanField(default=False)
    instructions = models.TextField(blank=True, default="")  # shown to the shopper (bank account, ...)
    publishable_key = models.CharField(max_length=255, blank=True, default="")
    secret_key = EncryptedTextField(blank=True, default="")
    webhook_secret = EncryptedTextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "provider"], name="payments_config_one_per_provider")]

    def __str__(self) -> str:
        return f"{self.provider} ({'enabled' if self.enabled else 'disabled'})"


class Payment(TenantOwnedModel):
    """One attempt to collect an order's money through one provider."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    provider = models.CharField(max_length=32, choices=PROVIDER_CHOICES)
    status = models.CharField(max_length=24, choices=PaymentStatus.CHOICES, default=PaymentStatus.PENDING)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    provider_reference = models.CharField(max_length=255, blank=True, default="")
    client_secret = EncryptedTextField(blank=True, default="")
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "order"], name="payments_payment_order"),
            models.Index(fields=["status", "provider", "created_at"], name="payments_payment_open"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="payments_reference_unique_per_provider",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payments_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=models.F("amount")),
                name="payments_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.currency} ({self.status})"


class RefundStatus:
    PENDING = "pending"  # the amount is reserved on the payment; the provider is being asked
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the provider refused: the reservation was given back

    CHOICES = [(PENDING, "Pending"), (SUCCEEDED, "Succeeded"), (FAILED, "Failed")]


class Refund(TenantOwnedModel):
    """Money given back on one payment. While ``pending`` and once ``succeeded`` its amount counts
    in ``Payment.amount_refunded`` (reserved under the payment's row lock before the provider is
    called), so the CHECK ``amount_refunded <= amount`` bounds every refund, even concurrent ones.
    ``manual``: bank transfer / cash on delivery, paid back by staff outside Bazaar and recorded here.
    ``lines`` is what it was for: ``[{"line_id", "quantity", "amount"}]``, plus ``shipping``."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=RefundStatus.CHOICES, default=RefundStatus.PENDING)
    manual = models.BooleanField(default=False)
    reason = models.CharField(max_length=500, blank=True, default="")
    lines = models.JSONField(default=list, blank=True)
    shipping = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    idempotency_key = models.CharField(max_length=120)
    provider_reference = models.CharField(max_length=255, blank=True, default="")
    failure = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["tenant", "order"], name="payments_refund_order")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_refund_amount_positive"),
            models.UniqueConstraint(fields=["tenant", "idempotency_key"], name="payments_refund_unique_key"),
        ]

    def __str__(self) -> str:
        return f"refund {self.amount} {self.currency} ({self.status})"


class PaymentTransaction(TenantOwnedModel):
    """Append-only log of what happened to a payment (a provider call, a webhook, a staff action)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(max_length=32)  # initiate, capture, refund, cancel, webhook, mark_paid, error
    status = models.CharField(max_length=24, blank=True, default="")
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "payment", "created_at"], name="payments_txn_payment")]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"


class WebhookEvent(TenantOwnedModel):
    """A provider event we accepted (signature verified). Unique per tenant and provider: applied once."""

    provider = models.CharField(max_length=32, choices=PROVIDER_CHOICES)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=32, blank=True, default="")  # applied, ignored, unknown_payment
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "provider", "event_id"], name="payments_webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.type}"
