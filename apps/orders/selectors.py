"""Reads of the orders app: carts and their review, orders (settings, tax and shipping quotes are
in ``shipping_quotes.py``, re-exported here).

Every function takes ``tenant=`` explicitly; ``access_*`` helpers fetch and authorise in one call
(a row of another tenant, or of another shopper, is :class:`NotFound`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core import signing
from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone

from apps.core.errors import ApplicationError, NotFound
from apps.orders.models import (
    Cart,
    CartLine,
    CartStatus,
    Fulfilment,
    Order,
    OrderNote,
    Return,
    ShippingMethod,
    StockHold,
)
from apps.orders.pricing import Amounts, Totals, compute_totals
from apps.orders.promotion_pricing import current_unit_prices, price_cart_voucher

# Settings, tax and shipping quotes live in shipping_quotes.py; callers keep reading them here.
from apps.orders.shipping_quotes import (  # noqa: F401 (re-exported)
    ShippingQuote,
    get_selling_settings,
    get_tax_rate,
    is_country_shipped,
    list_shipping_quotes,
    list_shipping_zones,
    list_tax_rates,
    quote_method,
)

GUEST_LINK_SALT = "orders.guest-link"
GUEST_LINK_MAX_AGE = 90 * 24 * 3600  # a guest's link to their order works for 90 days


# --- carts ---------------------------------------------------------------------------------------


def get_cart(*, tenant, token, open_only: bool = False) -> Cart:
    """The tenant's cart with ``token``; :class:`NotFound` for an unknown token or another tenant's."""
    qs = Cart.objects.for_tenant(tenant).filter(token=token)
    if open_only:
        qs = qs.filter(status=CartStatus.OPEN)
    cart = qs.first() if _is_uuid(token) else None
    if cart is None:
        raise NotFound("No such cart.")
    return cart


def find_open_cart(*, tenant, token=None, user=None) -> Cart | None:
    """The open cart of ``user`` in the tenant (a signed-in shopper), else the open *anonymous*
    cart with ``token`` (a cookie never opens a cart that belongs to someone)."""
    if user is not None and user.is_authenticated:
        return Cart.objects.for_tenant(tenant).filter(user=user, status=CartStatus.OPEN).first()
    if token and _is_uuid(token):
        return Cart.objects.for_tenant(tenant).filter(token=token, status=CartStatus.OPEN, user__isnull=True).first()
    return None


def count_cart_items(*, tenant, cart_id: int | None) -> int:
    """Units in the cart (the header count)."""
    if not cart_id:
        return 0
    return CartLine.objects.for_tenant(tenant).filter(cart_id=cart_id).aggregate(n=Sum("quantity"))["n"] or 0


def other_carts_holds(*, tenant, variant_ids, cart_id: int | None, now: datetime | None = None) -> dict[int, int]:
    """Units of each variant held by *other* carts' live holds (``expires_at > now``). One query."""
    now = now or timezone.now()
    rows = (
        StockHold.objects.for_tenant(tenant)
        .filter(variant_id__in=list(variant_ids), expires_at__gt=now)
        .exclude(cart_id=cart_id)
        .values("variant_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    return {row["variant_id"]: row["units"] for row in rows}


@dataclass
class ReviewedLine:
    """A cart line re-checked against the catalog now. ``problems`` holds codes:
    ``price_changed``, ``unavailable`` (unpublished or archived), ``out_of_stock``,
    ``insufficient_stock`` (fewer than the quantity left)."""

    id: int
    variant_id: int
    sku: str
    product_name: str
    product_slug: str
    options: dict
    quantity: int
    unit_price: Decimal
    current_price: Decimal
    available: int
    weight_grams: int
    amounts: Amounts | None = None
    problems: list[str] = field(default_factory=list)
    discount: Decimal = Decimal("0.00")  # the voucher's share of this line


@dataclass
class CartReview:
    cart: Cart
    currency: str
    prices_include_tax: bool
    lines: list[ReviewedLine]
    totals: Totals
    tax_rate: Decimal
    shipping: ShippingQuote | None
    hold_expires_at: datetime | None
    voucher_code: str = ""  # the code the shopper entered (applied, or with voucher_problem)
    voucher_problem: ApplicationError | None = None  # why it does not apply now

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return any(line.problems for line in self.lines)

    @property
    def has_price_changes(self) -> bool:
        return any("price_changed" in line.problems for line in self.lines)

    @property
    def weight_grams(self) -> int:
        return sum(line.weight_grams * line.quantity for line in self.lines)


def review_cart(*, tenant, cart: Cart) -> CartReview:
    """Re-check every line against the catalog (price, publication, stock) and price the cart.

    Shipping is priced when the cart has a method that still applies to its address and weight.
    About six queries whatever the number of lines.
    """
    settings_row = get_selling_settings(tenant=tenant)
    lines = list(cart.lines.select_related("variant__product").order_by("id"))
    held = other_carts_holds(tenant=tenant, variant_ids=[line.variant_id for line in lines], cart_id=cart.pk)
    prices = current_unit_prices(tenant=tenant, variants=[line.variant for line in lines])
    country = (cart.shipping_address or {}).get("country", "")
    rate = get_tax_rate(tenant=tenant, country=country)
    include = settings_row.prices_include_tax
    reviewed = []
    for line in lines:
        variant, product = line.variant, line.variant.product
        available = max(0, variant.stock - variant.allocated - held.get(variant.pk, 0))
        item = ReviewedLine(
            id=line.pk,
            variant_id=variant.pk,
            sku=variant.sku,
            product_name=product.name,
            product_slug=product.slug,
            options=variant.options or {},
            quantity=line.quantity,
            unit_price=line.unit_price,
            current_price=prices[variant.pk],
            available=available,
            weight_grams=variant.weight_grams or 0,
        )
        item.problems = line_problems(item, published=product.status == "published")
        reviewed.append(item)
    subtotal = sum((line.unit_price * line.quantity for line in reviewed), Decimal("0.00"))
    shipping = get_cart_shipping_quote(
        tenant=tenant, cart=cart, subtotal=subtotal, weight=sum(line.weight_grams * line.quantity for line in reviewed)
    )
    shipping_price = shipping.price if shipping else Decimal("0.00")
    voucher, discount, problem = _cart_voucher_discount(tenant, cart, lines, shipping_price)
    totals = compute_totals(
        [(line.unit_price, line.quantity) for line in reviewed],
        shipping_price,
        rate,
        prices_include_tax=include,
        discounts=discount.lines if discount else None,
        shipping_discount=discount.shipping if discount else Decimal("0.00"),
    )
    for index, item in enumerate(reviewed):
        item.amounts = totals.lines[index]
        item.discount = discount.lines[index] if discount else Decimal("0.00")
    hold = cart.holds.filter(expires_at__gt=timezone.now()).aggregate(first=Min("expires_at"))["first"]
    return CartReview(
        cart=cart,
        currency=tenant.currency,
        prices_include_tax=include,
        lines=reviewed,
        totals=totals,
        tax_rate=rate,
        shipping=shipping,
        hold_expires_at=hold,
        voucher_code=voucher.code if voucher else "",
        voucher_problem=problem,
    )


def _cart_voucher_discount(tenant, cart: Cart, lines, shipping_price: Decimal):
    """(voucher, its discount or None, the problem or None) for the cart's voucher, if any."""
    if cart.voucher_id is None:
        return None, None, None
    voucher = cart.voucher
    try:
        discount = price_cart_voucher(
            tenant=tenant,
            voucher=voucher,
            lines=[(line.variant, line.unit_price * line.quantity) for line in lines],
            shipping_price=shipping_price,
            email=cart.email,
        )
    except ApplicationError as exc:
        return voucher, None, exc
    return voucher, discount, None


def line_problems(line: ReviewedLine, *, published: bool) -> list[str]:
    """The problem codes of one reviewed line (see :class:`ReviewedLine`)."""
    problems = []
    if not published:
        problems.append("unavailable")
    if line.current_price != line.unit_price:
        problems.append("price_changed")
    if line.available <= 0:
        problems.append("out_of_stock")
    elif line.quantity > line.available:
        problems.append("insufficient_stock")
    return problems


def get_cart_shipping_quote(*, tenant, cart: Cart, subtotal: Decimal, weight: int) -> ShippingQuote | None:
    """The cart's chosen method priced for it, or None if none is chosen or it no longer applies."""
    if cart.shipping_method_id is None:
        return None
    method = ShippingMethod.objects.for_tenant(tenant).select_related("zone").filter(pk=cart.shipping_method_id).first()
    country = (cart.shipping_address or {}).get("country", "")
    if method is None or country not in [c.code for c in method.zone.countries]:
        return None
    return quote_method(method, subtotal=subtotal, weight_grams=weight)


# --- orders --------------------------------------------------------------------------------------


def list_orders(*, tenant, q: str = "", status: str = "", payment_status: str = "", date_from=None, date_to=None):
    """The tenant's orders, newest first, filtered: ``q`` is an order number or (part of) an email."""
    qs = Order.objects.for_tenant(tenant)
    if (q or "").strip().lstrip("#"):
        qs = qs.filter(_search_q(q))
    if status:
        qs = qs.filter(status=status)
    if payment_status:
        qs = qs.filter(payment_status=payment_status)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at", "-id")


def access_order(*, tenant, number: int | None = None, id: int | None = None, user=None) -> Order:  # noqa: A002
    """One of the tenant's orders by ``number`` or ``id`` (and of ``user`` when given); :class:`NotFound`."""
    if number is None and id is None:
        raise NotFound("No such order.")
    qs = Order.objects.for_tenant(tenant)
    qs = qs.filter(number=number) if number is not None else qs.filter(pk=id)
    if user is not None:
        qs = qs.filter(user_id=user.pk)
    order = qs.first()
    if order is None:
        raise NotFound("No such order.")
    return order


def get_order_for_payment(*, tenant, order_id: int) -> Order:
    """An order by id for the payments app (reads only; writes go through the services)."""
    return access_order(tenant=tenant, id=order_id)


def get_order_detail(*, tenant, order_id: int) -> Order:
    """An order with its lines and events loaded (console and API detail)."""
    order = access_order(tenant=tenant, id=order_id)
    order.line_list = list(order.lines.order_by("id"))
    order.event_list = list(order.events.select_related("actor").order_by("created_at", "id"))
    order.fulfilment_list = list_order_fulfilments(tenant=tenant, order_id=order.pk)
    order.return_list = list(
        Return.objects.for_tenant(tenant)
        .filter(order_id=order.pk)
        .prefetch_related("lines__order_line")
        .order_by("created_at", "id")
    )
    order.note_list = list(
        OrderNote.objects.for_tenant(tenant)
        .filter(order_id=order.pk)
        .select_related("author")
        .order_by("created_at", "id")
    )
    return order


def list_order_fulfilments(*, tenant, order_id: int) -> list:
    """An order's shipments, first first, with their lines (what the shopper's pages show)."""
    return list(
        Fulfilment.objects.for_tenant(tenant)
        .filter(order_id=order_id)
        .prefetch_related("lines__order_line")
        .order_by("sequence")
    )


def list_packing_slips(*, tenant, numbers) -> list[Order]:
    """The orders ``numbers`` (at most 200) with their lines, in number order, for packing slips."""
    wanted = sorted({int(n) for n in numbers if str(n).isdecimal() and len(str(n)) < 10})[:200]
    return list(Order.objects.for_tenant(tenant).filter(number__in=wanted).prefetch_related("lines").order_by("number"))


def list_customer_orders(*, tenant, user) -> QuerySet:
    """A signed-in shopper's orders in the shop, newest first, with their lines."""
    return (
        Order.objects.for_tenant(tenant)
        .filter(user_id=user.pk)
        .prefetch_related("lines", "fulfilments")
        .order_by("-created_at")
    )


def make_guest_link_token(order: Order) -> str:
    """A signed token that opens ``order`` for whoever holds it (sent to guests by email)."""
    return signing.dumps({"o": str(order.public_id), "t": order.tenant_id}, salt=GUEST_LINK_SALT, compress=True)


def access_order_by_guest_token(*, tenant, token: str) -> Order:
    """The order a guest link opens; :class:`NotFound` for a bad, expired or other shop's token."""
    try:
        data = signing.loads(token, salt=GUEST_LINK_SALT, max_age=GUEST_LINK_MAX_AGE)
    except signing.BadSignature:
        raise NotFound("No such order.") from None
    if not isinstance(data, dict) or data.get("t") != tenant.pk:
        raise NotFound("No such order.")
    order = Order.objects.for_tenant(tenant).filter(public_id=data.get("o")).first()
    if order is None:
        raise NotFound("No such order.")
    return order


def _search_q(value: str) -> Q:
    """An order number (``1042`` or ``#1042``: the unique index), a whole email (exact, on the
    ``(tenant, email)`` index; emails are stored lower-cased), or the start of an email."""
    value = (value or "").strip().lstrip("#")
    if value.isdecimal() and len(value) < 10:
        return Q(number=int(value))
    if "@" in value and "." in value.rpartition("@")[2]:
        return Q(email=value.lower())
    # Emails are stored lower-cased: a case-sensitive prefix on the lowered text is the same
    # search, and ``LIKE 'ada%'`` is a range on the (tenant, email text_pattern_ops) index.
    return Q(email__startswith=value.lower())


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
