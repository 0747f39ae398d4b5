"""Analytics tables: tenant settings, the raw event store, rollups, consent and background jobs.

The raw ``Event`` table is not managed by Django: the migration creates it (partitioned by month on
PostgreSQL, a plain table on SQLite) and only :mod:`apps.analytics.event_store` touches it.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

from apps.tenants.scoping import TenantOwnedModel

DEFAULT_RETENTION_MONTHS = 13


def new_ingest_key() -> str:
    """A fresh public, write-only ingest key."""
    return "ik_" + secrets.token_urlsafe(24)


class AnalyticsSettings(TenantOwnedModel):
    """Per-tenant analytics configuration: the ingest key, raw-event retention, GPC."""

    ingest_key = models.CharField(max_length=64, unique=True, default=new_ingest_key)
    retention_months = models.PositiveSmallIntegerField(default=DEFAULT_RETENTION_MONTHS)
    honour_gpc = models.BooleanField(default=True, help_text="Drop events from browsers sending Sec-GPC: 1")
    key_rotated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="analytics_settings_one_per_tenant")]
        verbose_name_plural = "analytics settings"

    def __str__(self) -> str:
        return f"Analytics settings of {self.tenant_id}"


class EventType(models.TextChoices):
    PAGE_VIEW = "page_view", "Page view"
    PRODUCT_VIEW = "product_view", "Product view"
    SEARCH = "search", "Search"
    CUSTOM = "custom", "Custom"
    ADD_TO_CART = "add_to_cart", "Add to cart"
    CHECKOUT_STARTED = "checkout_started", "Checkout started"
    PURCHASE = "purchase", "Purchase"
    REFUND = "refund", "Refund"
    CANCELLATION = "cancellation", "Cancellation"


# Written by the server only (an order placed, a refund made, an order cancelled): the beacon may not send
# them, and they belong to no browser visit (visitor ``""``), so they count in no visitor or session total.
SERVER_EVENT_TYPES = frozenset({EventType.PURCHASE, EventType.REFUND, EventType.CANCELLATION})
BEACON_EVENT_TYPES = frozenset(set(EventType.values) - SERVER_EVENT_TYPES)


class Event(models.Model):
    """One raw event. Read-only model over the table the migration creates; see ``event_store``."""

    pk = models.CompositePrimaryKey("tenant_id", "occurred_at", "event_id")
    tenant_id = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    event_id = models.UUIDField()
    received_at = models.DateTimeField()
    type = models.CharField(max_length=16, choices=EventType.choices)
    visitor = models.CharField(max_length=32)
    user_id = models.BigIntegerField(null=True)
    url = models.CharField(max_length=512)
    referrer = models.CharField(max_length=255)
    product_ref = models.CharField(max_length=64)
    product_id = models.BigIntegerField(null=True)
    query = models.CharField(max_length=200)
    results_count = models.IntegerField(null=True)
    props = models.JSONField(default=dict)

    class Meta:
        managed = False
        db_table = "analytics_event"

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class HourlyRollup(TenantOwnedModel):
    """Totals of one tenant for one UTC hour, rebuilt (overwritten) from raw events."""

    hour = models.DateTimeField()
    pageviews = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0, help_text="Distinct visitors in this hour")
    day_visitors = models.PositiveIntegerField(
        default=0, help_text="Visitors first seen on their (UTC) day in this hour; sums to daily uniques"
    )
    sessions = models.PositiveIntegerField(default=0)
    bounces = models.PositiveIntegerField(default=0)
    product_views = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    zero_result_searches = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)
    checkouts = models.PositiveIntegerField(default=0, help_text="checkout_started events")
    orders = models.PositiveIntegerField(default=0, help_text="purchase events (orders placed)")
    units = models.PositiveIntegerField(default=0, help_text="Items sold in those orders")
    revenue_cents = models.PositiveBigIntegerField(
        default=0, help_text="Order totals in hundredths of the currency unit (amounts are rounded to 0.01)"
    )
    refunds = models.PositiveIntegerField(default=0, help_text="refund events")
    refunded_cents = models.PositiveBigIntegerField(default=0, help_text="Refunded amounts in hundredths")
    cancellations = models.PositiveIntegerField(default=0, help_text="cancellation events")
    cancelled_orders = models.PositiveIntegerField(
        default=0, help_text="Whole orders cancelled (nothing shipped): no longer sales"
    )
    cancelled_units = models.PositiveIntegerField(default=0, help_text="Units cancelled")
    cancelled_cents = models.PositiveBigIntegerField(
        default=0, help_text="Cancelled amounts no refund gives back, in hundredths"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "hour"], name="analytics_hourly_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.hour:%Y-%m-%d %H}h"


class Dimension(models.TextChoices):
    PAGE = "page", "Page"
    PRODUCT = "product", "Product"
    REFERRER = "referrer", "Referrer"
    SEARCH = "search", "Search term"
    ZERO_SEARCH = "zero_search", "Zero-result search"
    PRODUCT_REVENUE = "product_revenue", "Product revenue (cents)"
    PRODUCT_UNITS = "product_units", "Product units sold"
    VOUCHER = "voucher", "Voucher uses"
    CANCEL_REVENUE = "cancel_revenue", "Product revenue cancelled (cents)"
    CANCEL_UNITS = "cancel_units", "Product units cancelled"
    CANCEL_VOUCHER = "cancel_voucher", "Voucher uses given back"


class DimensionRollup(TenantOwnedModel):
    """The top keys of one dimension for one tenant and UTC hour (top N per hour, see rollups)."""

    hour = models.DateTimeField()
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    key = models.CharField(max_length=512)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "dimension", "hour", "key"], name="analytics_dim_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key}={self.count}"


class DailyDimensionRollup(TenantOwnedModel):
    """The top keys of one dimension for one tenant and whole UTC day (read for long ranges)."""

    day = models.DateField()
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    key = models.CharField(max_length=512)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "dimension", "day", "key"], name="analytics_daily_dim_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}:{self.key}={self.count}"


class DirtyDay(TenantOwnedModel):
    """A (tenant, UTC day) whose raw events changed since its rollup was last rebuilt."""

    day = models.DateField()
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "day"], name="analytics_dirty_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day}"


class Consent(models.Model):
    """A signed-in user's recorded choice about linking analytics events to their account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    analytics = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Consent of {self.user_id}: {self.analytics}"


class JobStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled (can be cancelled)"
    CANCELLED = "cancelled", "Cancelled"
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportExport(TenantOwnedModel):
    """A CSV export of one report, built in the background; the link is signed and expires."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    report = models.CharField(max_length=32)
    date_from = models.DateField()
    date_to = models.DateField()
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "-created_at"], name="analytics_export_recent_idx")]

    def __str__(self) -> str:
        return f"{self.report} {self.date_from}..{self.date_to}"


class PrivacyRequestKind(models.TextChoices):
    EXPORT = "export", "Export my data"
    ERASE = "erase", "Erase my account"
    ERASE_TENANT = "erase_tenant", "Erase a tenant"


class PrivacyRequest(models.Model):
    """A data-subject request (export, erasure) or a tenant erasure, run in the background.

    Once an erasure finishes the ``user`` link is cleared; ``subject`` holds only a keyed hash, so
    the record that remains carries no personal data.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=PrivacyRequestKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.CharField(max_length=64, help_text="Keyed hash of the subject (user or tenant)")
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    file_name = models.CharField(max_length=255, blank=True)
    verification = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="An erasure runs after this (its grace period); cancellable until then"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="analytics_privacy_user_idx"),
            models.Index(fields=["status", "scheduled_for"], name="analytics_privacy_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"
