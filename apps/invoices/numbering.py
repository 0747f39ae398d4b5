"""Invoice numbers: per tenant, per calendar year (UTC), sequential and without gaps.

The number is taken from the tenant's :class:`InvoiceCounter` row for the year, locked with
``SELECT ... FOR UPDATE`` inside the transaction that creates the invoice. Two invoices made at
once wait for each other on that row; a transaction that rolls back gives its number back with
it, so no number is ever skipped or given twice (the ``UNIQUE (tenant, year, sequence)``
constraint is the last wall).
"""

from __future__ import annotations

from django.db import transaction

from apps.invoices.models import InvoiceCounter


def format_invoice_number(year: int, sequence: int) -> str:
    """``2026-00042``."""
    return f"{year}-{sequence:05d}"


def lock_counter(*, tenant, year: int) -> InvoiceCounter:
    """The tenant's counter row for ``year``, created if missing, locked until the transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_counter() must run inside transaction.atomic()")
    # INSERT ... ON CONFLICT DO NOTHING: two first invoices of a year cannot both create the row.
    InvoiceCounter.objects.bulk_create([InvoiceCounter(tenant=tenant, year=year)], ignore_conflicts=True)
    return InvoiceCounter.objects.for_tenant(tenant).select_for_update().get(year=year)


def take_next_number(counter: InvoiceCounter) -> int:
    """Advance a counter locked by :func:`lock_counter` and return the new sequence number."""
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
