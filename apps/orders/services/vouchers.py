"""A voucher code on a cart: the shopper enters it in the cart or at checkout (storefront form or
the cart API) and removes it. The rules are ``apps.promotions``'; placing re-checks them under
the voucher's row lock (``services.placing.apply_cart_voucher``)."""

from __future__ import annotations

from django.db import transaction

from apps.orders.models import Cart
from apps.orders.selectors import review_cart
from apps.orders.services.cart import lock_open_cart
from apps.promotions import selectors as promotions_selectors


def apply_voucher_code(*, tenant, cart: Cart, code) -> Cart:
    """Put the voucher ``code`` (any case) on the cart if it applies to it now; otherwise change
    nothing and raise why: 400 ``voucher_invalid`` (unknown code), 409 ``voucher_not_started``,
    ``voucher_expired``, ``voucher_used_up``, ``voucher_already_used`` (the cart's email used it),
    ``voucher_below_minimum``, ``voucher_not_applicable``."""
    voucher = promotions_selectors.get_voucher_by_code(tenant=tenant, code=code)
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        cart.voucher = voucher
        review = review_cart(tenant=tenant, cart=cart)
        if review.voucher_problem is not None:
            raise review.voucher_problem
        cart.save(update_fields=["voucher", "updated_at"])
    return cart


def remove_voucher_code(*, tenant, cart: Cart) -> Cart:
    """Take the voucher off the cart (nothing to do without one)."""
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        if cart.voucher_id is not None:
            cart.voucher = None
            cart.save(update_fields=["voucher", "updated_at"])
    return cart
