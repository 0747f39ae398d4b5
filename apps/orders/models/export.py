"""Background CSV exports of the order list or its lines (the catalog job pattern)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.tenants.scoping import TenantOwnedModel


class OrderExportKind(models.TextChoices):
    ORDERS = "orders", "Orders"
    LINES = "lines", "Order lines"


class OrderExportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class OrderExportJob(TenantOwnedModel):
    """One export: ``params`` are the order list's filters when it was asked for; live progress
    is in the cache while it runs, the row holds the final count and the file (deleted, and the
    job with it, a day after it is made: it holds shoppers' personal data)."""

    kind = models.CharField(max_length=6, choices=OrderExportKind.choices)
    status = models.CharField(max_length=8, choices=OrderExportStatus.choices, default=OrderExportStatus.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    result = models.FileField(upload_to="orders/exports/", max_length=255, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="orders_export_recent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} export #{self.pk} ({self.status})"
