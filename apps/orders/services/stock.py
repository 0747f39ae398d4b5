"""Holds: checkout keeps a cart's stock for the tenant's hold time.

available(variant) = stock - allocated - live holds of *other* carts (``expires_at > now``).
A cart's own hold never blocks itself; an expired hold counts for nothing, so stock is free again
the moment the hold expires, with no job having to run. Holds are written only while the
variants' rows are locked (in id order), so two checkouts cannot both hold the last unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.catalog import services as catalog_services
from apps.core.errors import Conflict, ErrorCode
from apps.orders.models import Cart, StockHold
from apps.orders.selectors import get_selling_settings, other_carts_holds
from apps.orders.services.cart import lock_open_cart


@dataclass(frozen=True)
class Shortage:
    line_id: int
    variant_id: int
    sku: str
    requested: int
    available: int

    def as_dict(self) -> dict:
        return {
            "line_id": self.line_id,
            "variant_id": self.variant_id,
            "sku": self.sku,
            "requested": self.requested,
            "available": self.available,
        }


def out_of_stock_error(shortages: list[Shortage]) -> Conflict:
    """409 ``out_of_stock`` naming the lines that failed (``details.lines``)."""
    return Conflict(
        "Some items are no longer available in the quantity you asked for.",
        code=ErrorCode.OUT_OF_STOCK,
        details={"lines": [s.as_dict() for s in shortages]},
    )


def find_shortages(*, tenant, cart: Cart, lines, variants: dict, now: datetime | None = None) -> list[Shortage]:
    """Lines asking for more than is available to this cart; ``variants`` must be locked rows."""
    held = other_carts_holds(tenant=tenant, variant_ids=list(variants), cart_id=cart.pk, now=now)
    shortages = []
    for line in lines:
        variant = variants.get(line.variant_id)
        available = 0 if variant is None else max(0, variant.stock - variant.allocated - held.get(variant.pk, 0))
        if line.quantity > available:
            sku = variant.sku if variant is not None else ""
            shortages.append(Shortage(line.pk, line.variant_id, sku, line.quantity, available))
    return shortages


def hold_cart_stock(*, tenant, cart: Cart) -> datetime:
    """Start checkout: hold every line's quantity for the tenant's hold minutes; returns the expiry.

    Refreshes the cart's existing holds. 409 ``out_of_stock`` (with the failing lines) and no
    hold at all if any line cannot be held; 409 ``cart_empty`` for an empty cart.
    """
    minutes = get_selling_settings(tenant=tenant).hold_minutes
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        lines = list(cart.lines.order_by("id"))
        if not lines:
            raise Conflict("Your cart is empty.", code=ErrorCode.CART_EMPTY)
        variants = catalog_services.lock_variants(tenant=tenant, variant_ids=[line.variant_id for line in lines])
        now = timezone.now()
        shortages = find_shortages(tenant=tenant, cart=cart, lines=lines, variants=variants, now=now)
        if shortages:
            raise out_of_stock_error(shortages)
        expires_at = now + timedelta(minutes=minutes)
        StockHold.objects.for_tenant(tenant).filter(cart=cart).delete()
        StockHold.objects.bulk_create(
            [
                StockHold(
                    tenant=tenant, cart=cart, variant_id=line.variant_id, quantity=line.quantity, expires_at=expires_at
                )
                for line in lines
            ]
        )
    return expires_at


def release_cart_holds(*, tenant, cart: Cart) -> int:
    """Drop the cart's holds (the shopper left checkout); returns how many went."""
    deleted, _ = StockHold.objects.for_tenant(tenant).filter(cart=cart).delete()
    return deleted
