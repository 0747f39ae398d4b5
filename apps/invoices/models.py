"""Invoices: the seller's invoice details per tenant, the per-year counter and the invoices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.tenants.scoping import TenantOwnedModel


class InvoiceSettings(TenantOwnedModel):
    """What a tenant's invoices say about the seller, and whether the "paid" email carries one.
    One row per tenant (an unsaved row with these defaults until first saved)."""

    legal_name = models.CharField(max_length=200, blank=True, default="")
    legal_address = models.TextField(max_length=1000, blank=True, default="")
    tax_id = models.CharField(max_length=64, blank=True, default="", help_text="VAT or tax registration number")
    attach_to_paid_email = models.BooleanField(default=False, help_text="Attach the invoice PDF to the paid email")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "invoice settings"
        constraints = [models.UniqueConstraint(fields=["tenant"], name="invoices_settings_one_per_tenant")]

    def __str__(self) -> str:
        return f"Invoice settings of {self.tenant_id}"


class InvoiceCounter(TenantOwnedModel):
    """The last invoice number given in a tenant's year. Its row is locked (``SELECT ... FOR
    UPDATE``) while a number is taken, in the transaction that creates the invoice, so numbers
    have no gaps and no duplicates whatever runs at once."""

    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="invoices_counter_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Invoice(TenantOwnedModel):
    """The invoice of one order: ``number`` is ``<year>-<sequence:05>``; ``seller`` is the
    seller's details as they were when it was issued; ``pdf`` the rendered document (empty while
    the background task has not rendered it yet)."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=20)
    seller = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year", "sequence"], name="invoices_invoice_unique_sequence"),
            models.UniqueConstraint(fields=["tenant", "number"], name="invoices_invoice_unique_number"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="invoices_invoice_sequence_gte_1"),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number}"

    @property
    def is_rendered(self) -> bool:
        return bool(self.pdf)
