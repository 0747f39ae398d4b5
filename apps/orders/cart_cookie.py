"""The storefront's cart cookie: one signed, HttpOnly, functional cookie per shop holding the
cart token and nothing else (no tracking). A signed-in shopper's cart is found by user; at the
first storefront request after login the anonymous cart is attached to them (merged if they
had one) and the shopper is told what merged."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages

from apps.orders import selectors, services

COOKIE_SALT = "orders.cart"
COOKIE_MAX_AGE = 30 * 24 * 3600


def cookie_name(tenant) -> str:
    """The shop's cart cookie name."""
    return cookie_name_for_slug(tenant.slug)


def cookie_name_for_slug(slug: str) -> str:
    """The cart cookie name of the shop at ``/s/<slug>/`` (before its Tenant is loaded)."""
    return f"cart_{slug}"


def read_cart_token(request, tenant) -> str | None:
    """The cart token from the shop's signed cookie, or None (missing or tampered)."""
    return request.get_signed_cookie(cookie_name(tenant), default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)


def current_cart(request, tenant, *, create: bool = False):
    """The request's open cart in ``tenant`` (None if none and not ``create``).

    Sets ``request.cart_cookie`` to the token to store, or ``""`` to delete the cookie.
    """
    token = read_cart_token(request, tenant)
    user = request.user if request.user.is_authenticated else None
    if user is not None and token:
        anonymous = selectors.find_open_cart(tenant=tenant, token=token)  # anonymous carts only
        request.cart_cookie = ""
        if anonymous is not None and anonymous.user_id is None:
            result = services.attach_cart_to_user(tenant=tenant, cart=anonymous, user=user)
            for text in result.messages:
                messages.info(request, text)
            return result.cart
    cart = selectors.find_open_cart(tenant=tenant, token=None if user else token, user=user)
    if cart is None and create:
        cart = services.create_cart(tenant=tenant, user=user)
    if cart is not None and user is None and str(cart.token) != token:
        request.cart_cookie = str(cart.token)
    if cart is None and token:
        request.cart_cookie = ""  # the cart was ordered or expired
    return cart


def store_cart_cookie(request, response):
    """Write or delete the cookie as :func:`current_cart` decided."""
    value = getattr(request, "cart_cookie", None)
    if value is None:
        return response
    tenant = request.tenant_for_cart
    if value == "":
        response.delete_cookie(cookie_name(tenant), samesite="Lax")
    else:
        response.set_signed_cookie(
            cookie_name(tenant),
            value,
            salt=COOKIE_SALT,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure() or not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False),
        )
    return response
