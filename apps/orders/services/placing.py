"""Placing an order: the one transaction that turns a cart into an order without ever overselling.

In one transaction, in this order:

1. lock the cart row (two tabs or a retry placing the same cart queue here, and the second one
   finds the first one's order);
2. lock the variants ``FOR UPDATE`` in id order (two carts with the same variants in opposite
   orders queue, never deadlock);
3. re-check publication, prices (a change must have been accepted: 409 ``price_changed``) and
   availability (stock - allocated - other carts' live holds: 409 ``out_of_stock`` naming lines);
4. allocate with conditional updates (the CHECK ``allocated <= stock`` is the last wall);
5. lock the cart's voucher row, if any, and re-check it (``apply_cart_voucher``: period, usage,
   once per customer, minimum, products); its discount is split over the lines before tax;
6. take the next order number (one upsert on the tenant's counter row, taken last so the counter
   is locked for the shortest time), write the order, its lines and event, redeem the voucher
   (the database refuses a use past the limit or a second use by the same email), drop the
   holds, close the cart, and record the "placed" email in the outbox.

``UNIQUE(cart)`` and ``UNIQUE(tenant, idempotency_key)`` make a second order impossible even if
two placements raced past the checks: the loser's insert fails and it returns the winner's order.
The payment method's ``start()`` runs afterwards (:func:`start_payment`), outside any transaction.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from apps.catalog import services as catalog_services
from apps.core.errors import ApplicationError, Conflict, ErrorCode, NotFound
from apps.core.outbox import enqueue_task
from apps.orders.hooks import PaymentStep, get_payment_method, send_order_placed
from apps.orders.models import Cart, CartStatus, Order, OrderEvent, OrderLine, OrderStatus, StockHold
from apps.orders.pricing import ZERO, compute_totals
from apps.orders.promotion_pricing import current_unit_prices, price_cart_voucher
from apps.orders.selectors import get_cart_shipping_quote, get_selling_settings, get_tax_rate
from apps.orders.services.stock import find_shortages, out_of_stock_error
from apps.promotions import services as promotions_services

logger = logging.getLogger("bazaar.orders")

IDEMPOTENCY_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces, like Stripe's


@dataclass(frozen=True)
class PlacedOrder:
    """The order, and whether this call created it (False: a retry got the earlier order)."""

    order: Order
    created: bool


def clean_idempotency_key(value) -> str:
    """The ``Idempotency-Key`` header: 1-255 printable ASCII characters, or empty for none."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not IDEMPOTENCY_KEY_RE.match(value):
        raise ApplicationError(
            "Idempotency-Key must be 1 to 255 printable characters without spaces.",
            code=ErrorCode.VALIDATION_ERROR,
            details={"Idempotency-Key": ["Use 1 to 255 printable ASCII characters, e.g. a UUID."]},
        )
    return value


def place_order(*, tenant, cart: Cart, idempotency_key: str = "", user=None) -> PlacedOrder:
    """Place ``cart`` as an order; idempotent per cart and per ``idempotency_key``.

    Placing the same cart again, or any cart with a key already used for it, returns the same
    order (``created=False``). A key already used for *another* cart is 409
    ``idempotency_key_reused``. Errors: 409 ``cart_empty``, ``price_changed``, ``out_of_stock``,
    ``product_unavailable``, ``shipping_unavailable``; 400 ``checkout_incomplete``. Nothing is
    written on any error.
    """
    key = clean_idempotency_key(idempotency_key)
    existing = _existing_order(tenant=tenant, cart_id=cart.pk, key=key)
    if existing is not None:
        return PlacedOrder(existing, created=False)
    try:
        with transaction.atomic():
            return _place_locked(tenant=tenant, cart_id=cart.pk, key=key, user=user)
    except IntegrityError:
        existing = _existing_order(tenant=tenant, cart_id=cart.pk, key=key)
        if existing is None:
            raise
        return PlacedOrder(existing, created=False)


def _existing_order(*, tenant, cart_id: int, key: str) -> Order | None:
    """The order already placed for this cart or key (one query); 409 if the key was another cart's."""
    match = Q(cart_id=cart_id) | Q(idempotency_key=key) if key else Q(cart_id=cart_id)
    found = list(Order.objects.for_tenant(tenant).filter(match)[:2])
    for order in found:
        if order.cart_id == cart_id:
            return order
    if found:
        raise Conflict("This Idempotency-Key was already used for another cart.", code=ErrorCode.IDEMPOTENCY_KEY_REUSED)
    return None


def _place_locked(*, tenant, cart_id: int, key: str, user) -> PlacedOrder:
    cart = Cart.objects.for_tenant(tenant).select_for_update().filter(pk=cart_id).first()
    if cart is None:
        raise NotFound("No such cart.")
    existing = _existing_order(tenant=tenant, cart_id=cart.pk, key=key)
    if existing is not None:  # a concurrent placement of this cart committed while we waited
        return PlacedOrder(existing, created=False)
    if cart.status != CartStatus.OPEN:
        raise Conflict("This cart has already been ordered.", code=ErrorCode.CART_CLOSED)
    lines = list(cart.lines.order_by("id"))
    if not lines:
        raise Conflict("Your cart is empty.", code=ErrorCode.CART_EMPTY)
    _check_complete(cart)
    method = get_payment_method(cart.payment_method)
    if not method.is_available(tenant):
        raise Conflict("This payment method is no longer available.", code=ErrorCode.PAYMENT_METHOD_UNAVAILABLE)

    variants = catalog_services.lock_variants(tenant=tenant, variant_ids=[line.variant_id for line in lines])
    _check_lines(lines, variants, current_unit_prices(tenant=tenant, variants=variants.values()))
    shortages = find_shortages(tenant=tenant, cart=cart, lines=lines, variants=variants)
    if shortages:
        raise out_of_stock_error(shortages)

    settings_row = get_selling_settings(tenant=tenant)
    country = cart.shipping_address.get("country", "")
    rate = get_tax_rate(tenant=tenant, country=country)
    subtotal = sum((line.unit_price * line.quantity for line in lines), 0)
    weight = sum((variants[line.variant_id].weight_grams or 0) * line.quantity for line in lines)
    shipping = get_cart_shipping_quote(tenant=tenant, cart=cart, subtotal=subtotal, weight=weight)
    if shipping is None:
        raise Conflict(
            "The shipping method no longer applies to this address and cart: choose another.",
            code=ErrorCode.SHIPPING_UNAVAILABLE,
        )
    include = settings_row.prices_include_tax
    voucher, discount = apply_cart_voucher(tenant=tenant, cart=cart, lines=lines, variants=variants, shipping=shipping)
    totals = compute_totals(
        [(line.unit_price, line.quantity) for line in lines],
        shipping.price,
        rate,
        prices_include_tax=include,
        discounts=discount.lines if discount else None,
        shipping_discount=discount.shipping if discount else ZERO,
    )

    catalog_services.allocate_stock(
        tenant=tenant, variants=variants, quantities={line.variant_id: line.quantity for line in lines}
    )
    order = Order.objects.create(
        tenant=tenant,
        number=_next_order_number(tenant),
        cart=cart,
        idempotency_key=key,
        user_id=cart.user_id or (user.pk if user is not None and user.is_authenticated else None),
        email=cart.email.lower(),
        shipping_address=cart.shipping_address,
        shipping_method_name=shipping.name,
        delivery_estimate=shipping.delivery_estimate,
        currency=tenant.currency,
        prices_include_tax=include,
        subtotal=totals.subtotal,
        shipping_price=shipping.price,
        shipping_tax=totals.shipping.tax,
        tax_total=totals.tax_total,
        net_total=totals.net_total,
        total=totals.total,
        voucher_code=voucher.code if voucher else "",
        discount_total=totals.discount_total,
        shipping_discount=totals.shipping_discount,
        status=OrderStatus.UNCONFIRMED if method.holds_stock_until_paid else OrderStatus.UNFULFILLED,
        payment_method=method.code,
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                tenant=tenant,
                order=order,
                variant_id=line.variant_id,
                product_name=variants[line.variant_id].product.name,
                sku=variants[line.variant_id].sku,
                options=variants[line.variant_id].options or {},
                quantity=line.quantity,
                unit_price=line.unit_price,
                tax_rate=rate,
                total=amounts.total,
                tax=amounts.tax,
                net=amounts.net,
                discount=line_discount,
            )
            for line, amounts, line_discount in zip(
                lines, totals.lines, discount.lines if discount else [ZERO] * len(lines), strict=True
            )
        ]
    )
    if voucher is not None:
        promotions_services.redeem_voucher(
            tenant=tenant, voucher=voucher, email=order.email, order_id=order.pk, discount=totals.discount_total
        )
    OrderEvent.objects.create(
        tenant=tenant,
        order=order,
        actor_id=order.user_id,
        actor_label="shopper",
        kind="placed",
        data={
            "number": order.number,
            "total": str(order.total),
            "payment_method": method.code,
            **({"voucher": order.voucher_code, "discount": str(order.discount_total)} if voucher else {}),
        },
    )
    StockHold.objects.for_tenant(tenant).filter(cart=cart).delete()
    cart.status = CartStatus.ORDERED
    cart.save(update_fields=["status", "updated_at"])
    enqueue_task("orders.send_order_email", tenant_id=tenant.pk, order_id=order.pk, kind="placed")
    send_order_placed(order)  # receivers schedule through the outbox: done only if this commits
    return PlacedOrder(order, created=True)


def _check_complete(cart: Cart) -> None:
    missing = {}
    if not cart.email:
        missing["email"] = ["Enter your email address."]
    if not cart.shipping_address:
        missing["shipping_address"] = ["Enter a shipping address."]
    if not cart.shipping_method_id:
        missing["shipping_method"] = ["Choose a shipping method."]
    if not cart.payment_method:
        missing["payment_method"] = ["Choose a payment method."]
    if missing:
        raise ApplicationError(
            "Checkout is not complete: " + ", ".join(missing) + ".",
            code=ErrorCode.CHECKOUT_INCOMPLETE,
            details=missing,
        )


def apply_cart_voucher(*, tenant, cart: Cart, lines, variants, shipping):
    """(voucher, discount) of the cart's voucher, its row locked until commit; (None, None)
    without one. 409 with the ``voucher_*`` reason when it no longer applies."""
    if cart.voucher_id is None:
        return None, None
    voucher = promotions_services.lock_voucher(tenant=tenant, voucher_id=cart.voucher_id)
    if voucher is None:
        return None, None
    discount = price_cart_voucher(
        tenant=tenant,
        voucher=voucher,
        lines=[(variants[line.variant_id], line.unit_price * line.quantity) for line in lines],
        shipping_price=shipping.price,
        email=cart.email.lower(),
    )
    return voucher, discount


def _check_lines(lines, variants, prices) -> None:
    """Every line still for sale, at the price the shopper accepted (``prices``: the price now,
    a running sale included)."""
    unavailable, changed = [], []
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is None or variant.product.status != "published":
            unavailable.append({"line_id": line.pk, "variant_id": line.variant_id})
        elif prices[variant.pk] != line.unit_price:
            changed.append(
                {
                    "line_id": line.pk,
                    "variant_id": variant.pk,
                    "sku": variant.sku,
                    "accepted_price": str(line.unit_price),
                    "current_price": str(prices[variant.pk]),
                }
            )
    if unavailable:
        raise Conflict(
            "Some items are no longer for sale: remove them to continue.",
            code=ErrorCode.PRODUCT_UNAVAILABLE,
            details={"lines": unavailable},
        )
    if changed:
        raise Conflict(
            "Some prices have changed since you added the items: review and accept them to continue.",
            code=ErrorCode.PRICE_CHANGED,
            details={"lines": changed},
        )


def _next_order_number(tenant) -> int:
    """The tenant's next order number: one upsert that locks the counter row until commit."""
    table = "orders_ordercounter"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (tenant_id, last_number) VALUES (%s, 1) "  # noqa: S608 - constant table name
            f"ON CONFLICT (tenant_id) DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
            [tenant.pk],
        )
        return int(cursor.fetchone()[0])


def start_payment(*, tenant, order: Order, retry: bool = False) -> PaymentStep | None:
    """Ask the order's payment method what the shopper does next, after the order committed.

    Runs outside any transaction and holds no lock (a provider may be slow). The answer is kept on
    the order, so a retried placement gets the same response; ``retry`` asks the method again
    (providers make ``start()`` idempotent). If ``start()`` fails, the order stays placed and
    unpaid, an event says so, and None is returned (the confirmation page offers "try again").
    """
    if order.payment_step and not retry:
        return PaymentStep(**order.payment_step)
    method = get_payment_method(order.payment_method)
    try:
        step = method.start(order)
    except Exception as exc:  # noqa: BLE001 - any provider failure leaves the order placed and unpaid
        logger.warning("payment start failed", extra={"order_id": order.pk, "error": f"{type(exc).__name__}: {exc}"})
        OrderEvent.objects.create(
            tenant=tenant,
            order=order,
            actor_label="system",
            kind="payment_start_failed",
            data={"payment_method": order.payment_method, "error": type(exc).__name__},
        )
        return None
    order.payment_step = step.as_dict()
    Order.objects.for_tenant(tenant).filter(pk=order.pk).update(payment_step=order.payment_step)
    return step
