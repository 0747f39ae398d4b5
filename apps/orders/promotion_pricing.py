"""The orders app's calls into ``apps.promotions`` (which sits below orders): the price a cart
line takes now (a running sale), and the discount of a cart's voucher. The rules live in
promotions; carts, review and placing ask here so that the price shown is the price charged."""

from __future__ import annotations

from decimal import Decimal

from apps.promotions import selectors as promotions_selectors
from apps.promotions.discounts import DiscountLine, VoucherDiscount

ZERO = Decimal("0.00")


def current_unit_prices(*, tenant, variants) -> dict[int, Decimal]:
    """``{variant_id: price}`` a shopper pays now (variants loaded with their product)."""
    return promotions_selectors.sale_prices_for_variants(tenant=tenant, variants=variants)


def price_cart_voucher(*, tenant, voucher, lines, shipping_price: Decimal, email: str) -> VoucherDiscount:
    """What ``voucher`` takes off ``lines`` [(variant with product, line amount)] and shipping
    for ``email``; an ``ApplicationError`` (``voucher_*`` code) with the reason it does not apply."""
    discount_lines = [
        DiscountLine(product_id=variant.product_id, category_id=variant.product.category_id, amount=amount)
        for variant, amount in lines
    ]
    return promotions_selectors.price_voucher_code(
        tenant=tenant, voucher=voucher, lines=discount_lines, shipping_price=shipping_price, email=email
    )
