"""The storefront header's cart count as a per-request part of cached pages (``apps.core.page_cache``).

An anonymous storefront page is cached once for everyone; the count is filled in on every request
from the shopper's own cart cookie. A visitor without the shop's cart cookie costs no query.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest

from apps.core.page_cache import register_fragment
from apps.orders import selectors
from apps.orders.cart_cookie import cookie_name_for_slug, read_cart_token
from apps.tenants.access import get_public_tenant

STOREFRONT_SLUG = re.compile(r"^/s/([a-z0-9-]+)/")


def _storefront_tenant(request: HttpRequest):
    """The request's shop: resolved already by the view, or from the ``/s/<slug>/`` path (cache hits)."""
    tenant = getattr(request, "tenant", None)
    if tenant is not None:
        return tenant
    match = STOREFRONT_SLUG.match(request.path)
    if match is None:
        return None
    try:
        return get_public_tenant(slug=match.group(1))
    except Http404:
        return None


def render_cart_count(request: HttpRequest) -> str:
    """Units in the shopper's open cart of this shop, as text (``"0"`` when they have none).

    Counted once per request (the page cache asks for the text and for the ETag); a view that just
    changed the cart sets ``request.cart_count`` itself, since its new cookie is not sent yet.
    """
    if not hasattr(request, "cart_count"):
        request.cart_count = _count_for(request)
    return str(request.cart_count)


def _count_for(request: HttpRequest) -> int:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    match = STOREFRONT_SLUG.match(request.path)
    if not signed_in and (match is None or cookie_name_for_slug(match.group(1)) not in request.COOKIES):
        return 0
    tenant = _storefront_tenant(request)
    if tenant is None:
        return 0
    token = read_cart_token(request, tenant)
    cart = selectors.find_open_cart(tenant=tenant, token=token, user=user if signed_in else None)
    return selectors.count_cart_items(tenant=tenant, cart_id=cart.pk if cart else None)


def register_orders_fragments() -> None:
    """Register ``cart_count`` (called from ``OrdersConfig.ready``)."""
    register_fragment("cart_count", render_cart_count)
