"""Checkout steps on a cart: email, shipping address, shipping method, payment method.

Each step validates and writes only its own fields; :func:`update_checkout` applies several at
once, all or nothing. Bad input raises the one error shape and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_countries import countries

from apps.core.errors import ApplicationError, ErrorCode, Invalid
from apps.orders.hooks import list_payment_methods
from apps.orders.models import Cart
from apps.orders.selectors import is_country_shipped, list_shipping_quotes, review_cart
from apps.orders.services.cart import lock_open_cart

ADDRESS_FIELDS = {
    "name": (True, 100),
    "line1": (True, 200),
    "line2": (False, 200),
    "city": (True, 100),
    "postal_code": (True, 20),
    "region": (False, 100),
    "country": (True, 2),
    "phone": (False, 30),
}


def clean_email(value) -> str:
    """A valid email address (lower-cased domain); :class:`Invalid` otherwise."""
    email = str(value or "").strip()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise Invalid({"email": ["Enter a valid email address."]}) from None
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_address(*, tenant, address) -> dict:
    """A shipping address with every required field, a known country the shop ships to.

    400 ``invalid_address`` with per-field ``details`` otherwise.
    """
    if not isinstance(address, dict):
        raise ApplicationError(
            "Enter an address.", code=ErrorCode.INVALID_ADDRESS, details={"address": ["Enter an address."]}
        )
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, (required, max_length) in ADDRESS_FIELDS.items():
        value = address.get(name)
        text = "" if value is None else str(value).strip()
        if required and not text:
            errors[name] = ["This field is required."]
        elif len(text) > max_length:
            errors[name] = [f"At most {max_length} characters."]
        cleaned[name] = text
    unknown = sorted(set(address) - set(ADDRESS_FIELDS))
    if unknown:
        errors["non_field_errors"] = [f"Unknown address fields: {', '.join(map(str, unknown))[:200]}."]
    country = cleaned["country"].upper()
    cleaned["country"] = country
    if "country" not in errors:
        if country not in dict(countries):
            errors["country"] = ["Choose a country from the list."]
        elif not is_country_shipped(tenant=tenant, country=country):
            errors["country"] = [f"Sorry, this shop does not ship to {countries.name(country)}."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(f"Check the address: {first}", code=ErrorCode.INVALID_ADDRESS, details=errors)
    return cleaned


def _apply_email(cart: Cart, value) -> None:
    cart.email = clean_email(value)


def _apply_address(tenant, cart: Cart, value) -> None:
    cart.shipping_address = clean_address(tenant=tenant, address=value)


def _apply_shipping_method(tenant, cart: Cart, value) -> None:
    try:
        method_id = int(value)
    except (TypeError, ValueError):
        raise Invalid({"shipping_method": ["Choose a shipping method."]}) from None
    offered = {quote.method_id for quote in quotes_for_cart(tenant=tenant, cart=cart)}
    if method_id not in offered:
        raise ApplicationError(
            "This shipping method is not offered for your address and cart.",
            code=ErrorCode.SHIPPING_UNAVAILABLE,
            details={"shipping_method": ["Choose one of the methods offered for your address."]},
        )
    cart.shipping_method_id = method_id


def _apply_payment_method(tenant, cart: Cart, value) -> None:
    codes = [method.code for method in list_payment_methods(tenant)]
    if str(value or "") not in codes:
        raise ApplicationError(
            "This payment method is not available.",
            code=ErrorCode.PAYMENT_METHOD_UNAVAILABLE,
            details={"payment_method": [f"Choose one of: {', '.join(codes) or 'none available'}."]},
        )
    cart.payment_method = str(value)


def quotes_for_cart(*, tenant, cart: Cart) -> list:
    """The shipping methods offered for the cart's address, priced for its lines (``[]`` without
    an address or when no zone covers it)."""
    country = (cart.shipping_address or {}).get("country", "")
    if not country:
        return []
    review = review_cart(tenant=tenant, cart=cart)
    return list_shipping_quotes(
        tenant=tenant, country=country, subtotal=review.totals.subtotal, weight_grams=review.weight_grams
    )


def update_checkout(*, tenant, cart: Cart, data: dict) -> Cart:
    """Set any of ``email``, ``shipping_address``, ``shipping_method``, ``payment_method`` (in that
    order, so a method is checked against the new address). All or nothing."""
    if not isinstance(data, dict) or not data:
        raise Invalid(
            {"non_field_errors": ["Send at least one of email, shipping_address, shipping_method, payment_method."]}
        )
    unknown = sorted(set(data) - {"email", "shipping_address", "shipping_method", "payment_method"})
    if unknown:
        raise Invalid({name: ["Unknown field."] for name in unknown})
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        if "email" in data:
            _apply_email(cart, data["email"])
        if "shipping_address" in data:
            previous = (cart.shipping_address or {}).get("country")
            _apply_address(tenant, cart, data["shipping_address"])
            if previous != cart.shipping_address["country"] and "shipping_method" not in data:
                cart.shipping_method_id = None
        if "shipping_method" in data:
            _apply_shipping_method(tenant, cart, data["shipping_method"])
        if "payment_method" in data:
            _apply_payment_method(tenant, cart, data["payment_method"])
        cart.save()
    return cart


def set_checkout_email(*, tenant, cart: Cart, email) -> Cart:
    """Checkout step: the email the order and its emails go to."""
    return update_checkout(tenant=tenant, cart=cart, data={"email": email})


def set_shipping_address(*, tenant, cart: Cart, address: dict) -> Cart:
    """Checkout step: the shipping address (see :func:`clean_address`)."""
    return update_checkout(tenant=tenant, cart=cart, data={"shipping_address": address})


def set_shipping_method(*, tenant, cart: Cart, method_id) -> Cart:
    """Checkout step: one of the methods offered for the address."""
    return update_checkout(tenant=tenant, cart=cart, data={"shipping_method": method_id})


def set_payment_method(*, tenant, cart: Cart, code: str) -> Cart:
    """Checkout step: one of the tenant's available payment methods."""
    return update_checkout(tenant=tenant, cart=cart, data={"payment_method": code})
