"""Cart expiry (beat job ``orders.expire_carts``): anonymous carts after 30 days, signed-in
shoppers' after 90, empty carts after 6 hours of no activity; expired holds are deleted (they
already counted for nothing). Ordered carts are kept: their order points at them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from apps.orders.models import Cart, CartStatus, StockHold

ANONYMOUS_CART_DAYS = 30
USER_CART_DAYS = 90
EMPTY_CART_HOURS = 6


@dataclass(frozen=True)
class ExpiryResult:
    carts: int
    holds: int


def expire_carts(*, now: datetime | None = None) -> ExpiryResult:
    """Delete carts past their lifetime and holds past their expiry, across tenants (a platform
    job: ``all_tenants()`` on purpose). Idempotent."""
    now = now or timezone.now()
    carts = Cart.objects.all_tenants().filter(status=CartStatus.OPEN)
    stale_anonymous = carts.filter(user__isnull=True, updated_at__lt=now - timedelta(days=ANONYMOUS_CART_DAYS))
    stale_user = carts.filter(user__isnull=False, updated_at__lt=now - timedelta(days=USER_CART_DAYS))
    empty = (
        carts.filter(updated_at__lt=now - timedelta(hours=EMPTY_CART_HOURS))
        .annotate(n=Count("lines"))
        .filter(n=0)
        .values_list("pk", flat=True)
    )
    deleted = 0
    for qs in (stale_anonymous, stale_user, Cart.objects.all_tenants().filter(pk__in=list(empty))):
        deleted += qs.delete()[1].get("orders.Cart", 0)
    holds, _ = StockHold.objects.all_tenants().filter(expires_at__lte=now).delete()
    return ExpiryResult(carts=deleted, holds=holds)
