"""Celery tasks of the promotions app (ids in, safe to retry)."""

from __future__ import annotations

from celery import shared_task

from apps.promotions.sales import announce_sale_changes, reconcile_sale_prices


@shared_task(name="promotions.announce_sales")
def announce_sales() -> int:
    """Beat, every minute: bump the catalog version of shops whose sale started or ended."""
    return announce_sale_changes()


@shared_task(name="promotions.reconcile_sale_prices")
def reconcile_sales() -> int:
    """Beat, every 15 minutes: store again the sale prices sorting and price filters use."""
    return reconcile_sale_prices()
