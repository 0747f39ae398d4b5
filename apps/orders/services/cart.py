"""Cart writes: create, add, change, remove, accept new prices, merge at login.

Stock checks here are for messages (a shopper is told at once that only 2 are left); what
guarantees nothing is oversold is placing (``services.placing``) under row locks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from apps.catalog import selectors as catalog_selectors
from apps.core.errors import Conflict, ErrorCode, Invalid, NotFound
from apps.orders.models import Cart, CartLine, CartStatus, StockHold
from apps.orders.promotion_pricing import current_unit_prices
from apps.orders.selectors import find_open_cart, get_selling_settings, other_carts_holds

MAX_QUANTITY_TEXT = 12  # longer input than this is not a quantity anyone means


def parse_quantity(value, *, maximum: int, field_name: str = "quantity") -> int:
    """A whole number from 1 to ``maximum``; :class:`Invalid` for 0, -1, 10^9, "abc", 1.5, ..."""
    text = str(value).strip() if value is not None else ""
    message = f"Enter a whole number from 1 to {maximum}."
    if isinstance(value, bool) or not text or len(text) > MAX_QUANTITY_TEXT or not text.lstrip("+").isdecimal():
        raise Invalid({field_name: [message]})
    quantity = int(text)
    if not 1 <= quantity <= maximum:
        raise Invalid({field_name: [message]})
    return quantity


def create_cart(*, tenant, user=None) -> Cart:
    """A new open cart (the signed-in shopper's open cart if they already have one)."""
    if user is not None and user.is_authenticated:
        existing = find_open_cart(tenant=tenant, user=user)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Cart.objects.create(tenant=tenant, user=user)
        except IntegrityError:  # a concurrent request created it first
            return find_open_cart(tenant=tenant, user=user)
    return Cart.objects.create(tenant=tenant)


def lock_open_cart(*, tenant, cart_id: int) -> Cart:
    """``SELECT ... FOR UPDATE`` the tenant's cart; :class:`NotFound`, or :class:`Conflict`
    (``cart_closed``) once it became an order. Inside a transaction."""
    cart = Cart.objects.for_tenant(tenant).select_for_update().filter(pk=cart_id).first()
    if cart is None:
        raise NotFound("No such cart.")
    if cart.status != CartStatus.OPEN:
        raise Conflict("This cart has already been ordered.", code=ErrorCode.CART_CLOSED)
    return cart


def _available_for(tenant, variant, cart_id: int) -> int:
    held = other_carts_holds(tenant=tenant, variant_ids=[variant.pk], cart_id=cart_id).get(variant.pk, 0)
    return max(0, variant.stock - variant.allocated - held)


def _touch(cart: Cart) -> None:
    """Any change to the lines drops the cart's holds (checkout places them again) and marks activity."""
    StockHold.objects.for_tenant(cart.tenant_id).filter(cart=cart).delete()
    cart.save(update_fields=["updated_at"])


def add_to_cart(*, tenant, cart: Cart, variant_id, quantity) -> CartLine:
    """Add ``quantity`` of a published variant (adding to its line if there is one).

    400 ``validation_error`` for a bad quantity or a variant that is not for sale here (unknown,
    another shop's, draft or archived: all told the same), 409 ``out_of_stock`` when fewer are
    available (``details.available``), 409 ``cart_limit`` past the per-line or per-cart limit.
    Changes nothing on error.
    """
    limits = get_selling_settings(tenant=tenant)
    quantity = parse_quantity(quantity, maximum=limits.max_line_quantity)
    variant = catalog_selectors.get_variant_for_sale(tenant=tenant, variant_id=variant_id)
    if variant is None:
        raise Invalid({"variant_id": ["This product is not for sale in this shop."]})
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        line = cart.lines.filter(variant_id=variant.pk).first()
        new_quantity = quantity + (line.quantity if line else 0)
        if new_quantity > limits.max_line_quantity:
            raise Conflict(
                f"At most {limits.max_line_quantity} of one item per order.",
                code=ErrorCode.CART_LIMIT,
                details={"max_line_quantity": limits.max_line_quantity},
            )
        if line is None and cart.lines.count() >= limits.max_cart_lines:
            raise Conflict(
                f"A cart holds at most {limits.max_cart_lines} different items.",
                code=ErrorCode.CART_LIMIT,
                details={"max_cart_lines": limits.max_cart_lines},
            )
        available = _available_for(tenant, variant, cart.pk)
        if new_quantity > available:
            raise Conflict(
                f"Only {available} available." if available else "This item is out of stock.",
                code=ErrorCode.OUT_OF_STOCK,
                details={"variant_id": variant.pk, "available": available},
            )
        if line is None:
            price = current_unit_prices(tenant=tenant, variants=[variant])[variant.pk]  # a sale's price
            line = CartLine.objects.create(
                tenant=tenant, cart=cart, variant=variant, quantity=quantity, unit_price=price
            )
        else:
            line.quantity = new_quantity
            line.save(update_fields=["quantity"])
        _touch(cart)
    return line


def _get_line(cart: Cart, line_id) -> CartLine:
    try:
        pk = int(line_id)
    except (TypeError, ValueError):
        raise NotFound("No such cart line.") from None
    line = cart.lines.select_related("variant").filter(pk=pk).first()
    if line is None:
        raise NotFound("No such cart line.")
    return line


def update_cart_line(*, tenant, cart: Cart, line_id, quantity) -> CartLine:
    """Set a line's quantity (1 to the per-line limit; remove a line with :func:`remove_cart_line`)."""
    limits = get_selling_settings(tenant=tenant)
    quantity = parse_quantity(quantity, maximum=limits.max_line_quantity)
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        line = _get_line(cart, line_id)
        if quantity > line.quantity:
            available = _available_for(tenant, line.variant, cart.pk)
            if quantity > available:
                raise Conflict(
                    f"Only {available} available." if available else "This item is out of stock.",
                    code=ErrorCode.OUT_OF_STOCK,
                    details={"line_id": line.pk, "available": available},
                )
        line.quantity = quantity
        line.save(update_fields=["quantity"])
        _touch(cart)
    return line


def remove_cart_line(*, tenant, cart: Cart, line_id) -> None:
    """Remove a line from the cart."""
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        _get_line(cart, line_id).delete()
        _touch(cart)


def accept_cart_prices(*, tenant, cart: Cart) -> int:
    """The shopper has seen the current prices: each line takes its variant's price now. Returns
    how many lines changed."""
    changed = 0
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        lines = list(cart.lines.select_related("variant__product"))
        prices = current_unit_prices(tenant=tenant, variants=[line.variant for line in lines])
        for line in lines:
            if line.unit_price != prices[line.variant_id]:
                line.unit_price = prices[line.variant_id]
                line.save(update_fields=["unit_price"])
                changed += 1
        cart.save(update_fields=["updated_at"])
    return changed


@dataclass
class MergeResult:
    """What happened at login: the shopper's cart, and one message per line merged or capped."""

    cart: Cart
    messages: list[str] = field(default_factory=list)


def attach_cart_to_user(*, tenant, cart: Cart, user) -> MergeResult:
    """At login: the anonymous ``cart`` becomes the user's, or merges into the user's open cart.

    No line is lost: quantities add up, capped at what is available and at the per-line limit,
    and each capped line is reported. The anonymous cart is deleted after a merge.
    """
    limits = get_selling_settings(tenant=tenant)
    with transaction.atomic():
        cart = lock_open_cart(tenant=tenant, cart_id=cart.pk)
        if cart.user_id == user.pk:
            return MergeResult(cart=cart)
        target = Cart.objects.for_tenant(tenant).select_for_update().filter(user=user, status=CartStatus.OPEN).first()
        if target is None:
            cart.user = user
            cart.save(update_fields=["user", "updated_at"])
            return MergeResult(cart=cart)
        result = MergeResult(cart=target)
        existing = {line.variant_id: line for line in target.lines.all()}
        for line in cart.lines.select_related("variant__product").order_by("id"):
            current = existing.get(line.variant_id)
            wanted = line.quantity + (current.quantity if current else 0)
            cap = min(limits.max_line_quantity, _available_for(tenant, line.variant, target.pk))
            quantity = min(wanted, cap)
            name = line.variant.product.name
            if quantity <= 0:
                result.messages.append(f"{name} is out of stock and was not added.")
                continue
            if current is None:
                if len(existing) >= limits.max_cart_lines:
                    result.messages.append(f"{name} was not added: your cart is full.")
                    continue
                current = CartLine.objects.create(
                    tenant=tenant, cart=target, variant=line.variant, quantity=quantity, unit_price=line.unit_price
                )
                existing[line.variant_id] = current
            else:
                current.quantity = quantity
                current.save(update_fields=["quantity"])
            if quantity < wanted:
                result.messages.append(f"{name}: only {quantity} available, so your cart has {quantity}.")
            else:
                result.messages.append(f"{name} ({line.quantity}) was added from your earlier visit.")
        cart.delete()
        _touch(target)
    return result
