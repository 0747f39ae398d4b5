"""Storefront pages of the orders app: cart, checkout, confirmation, the shopper's orders."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.orders import selectors
from apps.tenants.access import get_public_tenant


@require_GET
def guest_order(request, tenant_slug: str, token: str):
    """The order a signed guest link opens (also the confirmation page after placing)."""
    tenant = get_public_tenant(slug=tenant_slug)
    order = selectors.access_order_by_guest_token(tenant=tenant, token=token)
    return render(request, "orders/storefront/order.html", {"tenant": tenant, "order": order, "token": token})
