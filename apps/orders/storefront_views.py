"""Storefront pages of the orders app under ``/s/<tenant_slug>/``: cart, checkout, the order page
(confirmation and the guest's signed link), and "My orders".

Everything works without JavaScript (forms post and redirect); htmx, where present, adds to the
cart in place and updates the header count. Views are thin: they call services and selectors and
turn an :class:`ApplicationError` into a message or field errors.
"""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import ApplicationError, NotFound
from apps.orders import hooks, selectors, services
from apps.orders.cart_cookie import current_cart, store_cart_cookie
from apps.orders.services.checkout import ADDRESS_FIELDS
from apps.tenants.access import get_public_tenant


def storefront_page(view):
    """Resolve the public tenant, turn NotFound into 404, and write the cart cookie afterwards."""

    @wraps(view)
    def wrapper(request, tenant_slug: str, **kwargs):
        tenant = get_public_tenant(slug=tenant_slug)
        request.tenant_for_cart = tenant
        try:
            response = view(request, tenant, **kwargs)
        except NotFound:
            raise Http404("Not found") from None
        return store_cart_cookie(request, response)

    return wrapper


def _url(name: str, tenant, **kwargs) -> str:
    return reverse(f"orders-storefront:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_GET
@storefront_page
def cart_page(request, tenant):
    """The cart, every line re-checked now (new prices, sold out, unpublished shown per line)."""
    cart = current_cart(request, tenant)
    review = selectors.review_cart(tenant=tenant, cart=cart) if cart else None
    return render(request, "orders/storefront/cart.html", {"tenant": tenant, "review": review})


@require_POST
@storefront_page
def cart_add(request, tenant):
    """Add a variant; htmx gets a short status and the new header count, others a redirect."""
    cart = current_cart(request, tenant, create=True)
    try:
        services.add_to_cart(
            tenant=tenant,
            cart=cart,
            variant_id=request.POST.get("variant_id"),
            quantity=request.POST.get("quantity", "1"),
        )
        text, ok = "Added to your cart.", True
    except ApplicationError as exc:
        text, ok = _first_detail(exc), False
    if request.htmx:
        request.cart_count = selectors.count_cart_items(tenant=tenant, cart_id=cart.pk)  # cookie not sent yet
        link = render_to_string("orders/storefront/_cart_link.html", {"tenant": tenant}, request)
        status_html = render_to_string(
            "orders/storefront/_add_feedback.html", {"text": text, "ok": ok, "tenant": tenant}
        )
        return HttpResponse(status_html + link, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, text)
    return redirect(_url("cart", tenant) if ok else _safe_next(request, _url("cart", tenant)))


@require_POST
@storefront_page
def cart_line(request, tenant, line_id: int):
    """Change a line's quantity, or remove it (``action=remove``)."""
    cart = current_cart(request, tenant)
    if cart is None:
        return redirect(_url("cart", tenant))
    try:
        if request.POST.get("action") == "remove":
            services.remove_cart_line(tenant=tenant, cart=cart, line_id=line_id)
            messages.success(request, "Removed from your cart.")
        else:
            services.update_cart_line(tenant=tenant, cart=cart, line_id=line_id, quantity=request.POST.get("quantity"))
            messages.success(request, "Quantity updated.")
    except ApplicationError as exc:
        messages.error(request, _first_detail(exc))
    return redirect(_url("cart", tenant))


@require_POST
@storefront_page
def cart_accept_prices(request, tenant):
    """The shopper has seen the new prices and accepts them."""
    cart = current_cart(request, tenant)
    if cart is not None:
        services.accept_cart_prices(tenant=tenant, cart=cart)
        messages.success(request, "Your cart now uses the current prices.")
    return redirect(_url("cart", tenant))


@require_POST
@storefront_page
def cart_voucher(request, tenant):
    """Apply a voucher code (``code``) or remove it (``action=remove``), back to the cart or checkout."""
    cart = current_cart(request, tenant)
    target = _safe_next(request, _url("cart", tenant))
    if cart is None:
        return redirect(_url("cart", tenant))
    try:
        if request.POST.get("action") == "remove":
            services.remove_voucher_code(tenant=tenant, cart=cart)
            messages.success(request, "The code was removed.")
        else:
            services.apply_voucher_code(tenant=tenant, cart=cart, code=request.POST.get("code", ""))
            messages.success(request, "Your code is applied.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(target)


@require_POST
@storefront_page
def checkout_start(request, tenant):
    """Hold the cart's stock for the shop's hold time, then show the checkout."""
    cart = current_cart(request, tenant)
    if cart is None:
        return redirect(_url("cart", tenant))
    review = selectors.review_cart(tenant=tenant, cart=cart)
    if review.has_problems:
        messages.error(request, "Some items in your cart need your attention before checkout.")
        return redirect(_url("cart", tenant))
    try:
        services.hold_cart_stock(tenant=tenant, cart=cart)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(_url("cart", tenant))
    return redirect(_url("checkout", tenant))


@require_http_methods(["GET", "POST"])
@storefront_page
def checkout(request, tenant):
    """The one-page checkout: details (email, address), then shipping and payment, then review."""
    cart = current_cart(request, tenant)
    if cart is None or not cart.lines.exists():
        return redirect(_url("cart", tenant))
    errors: dict = {}
    values = {"email": cart.email, **{name: (cart.shipping_address or {}).get(name, "") for name in ADDRESS_FIELDS}}
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "details":
            values = {name: request.POST.get(name, "") for name in values}
            address = {name: values[name] for name in ADDRESS_FIELDS}
            data = {"email": values["email"], "shipping_address": address}
        else:
            data = {
                key: request.POST[key] for key in ("shipping_method", "payment_method") if request.POST.get(key)
            } or {"shipping_method": ""}
        try:
            services.update_checkout(tenant=tenant, cart=cart, data=data)
            return redirect(_url("checkout", tenant))
        except ApplicationError as exc:
            errors = exc.details if isinstance(exc.details, dict) else {}
            if not errors or "non_field_errors" in errors:
                messages.error(request, exc.message)
    cart.refresh_from_db()
    review = selectors.review_cart(tenant=tenant, cart=cart)
    context = {
        "tenant": tenant,
        "review": review,
        "cart": cart,
        "values": values,
        "errors": errors,
        "address_fields": ADDRESS_FIELDS,
        "quotes": services.quotes_for_cart(tenant=tenant, cart=cart) if cart.shipping_address else [],
        "payment_methods": hooks.list_payment_methods(tenant),
        "ready": bool(cart.email and cart.shipping_address and review.shipping and cart.payment_method),
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "orders/storefront/checkout.html", context, status=400 if errors else 200)


@require_POST
@storefront_page
def checkout_place(request, tenant):
    """Place the order (a double click sends the same key: one order), start the payment, and
    show the order page."""
    cart = current_cart(request, tenant)
    if cart is None:
        return redirect(_url("cart", tenant))
    user = request.user if request.user.is_authenticated else None
    try:
        placed = services.place_order(
            tenant=tenant, cart=cart, idempotency_key=request.POST.get("idempotency_key", ""), user=user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        target = "cart" if exc.code in ("out_of_stock", "price_changed", "product_unavailable") else "checkout"
        return redirect(_url(target, tenant))
    services.start_payment(tenant=tenant, order=placed.order)
    request.cart_cookie = ""
    messages.success(request, f"Thank you! Your order #{placed.order.number} is placed.")
    return redirect(_url("guest-order", tenant, token=selectors.make_guest_link_token(placed.order)))


@require_GET
@storefront_page
def guest_order(request, tenant, token: str):
    """An order opened by its signed link (the confirmation page, and the guest's link by email)."""
    order = selectors.access_order_by_guest_token(tenant=tenant, token=token)
    context = {
        "tenant": tenant,
        "order": order,
        "token": token,
        "extra_links": hooks.list_shopper_order_links([order], {order.pk: token})[order.pk],
    }
    return render(request, "orders/storefront/order.html", context)


@require_POST
@storefront_page
def retry_payment(request, tenant, token: str):
    """ "Try again" when starting the payment failed: asks the payment method once more."""
    order = selectors.access_order_by_guest_token(tenant=tenant, token=token)
    if services.start_payment(tenant=tenant, order=order, retry=True) is None:
        messages.error(request, "We could not start the payment. Please try again in a moment.")
    return redirect(_url("guest-order", tenant, token=token))


@require_GET
@storefront_page
def my_orders(request, tenant):
    """A signed-in shopper's orders in this shop, with status and lines."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    orders = list(selectors.list_customer_orders(tenant=tenant, user=request.user)[:50])
    tokens = {order.pk: selectors.make_guest_link_token(order) for order in orders}
    links = {order.pk: _url("guest-order", tenant, token=tokens[order.pk]) for order in orders}
    extra = hooks.list_shopper_order_links(orders, tokens)
    context = {"tenant": tenant, "orders": orders, "links": links, "extra_links": extra}
    return render(request, "orders/storefront/my_orders.html", context)


def _first_detail(exc: ApplicationError) -> str:
    for messages_ in (exc.details or {}).values():
        if isinstance(messages_, list) and messages_ and isinstance(messages_[0], str):
            return messages_[0]
    return exc.message
