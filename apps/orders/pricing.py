"""Prices, tax and totals of a cart or order (see ``apps.core.money`` for the rounding rule).

- Prices include tax (EU default): a line's tax is ``round(total * rate / (1 + rate))``, its net
  ``total - tax``; the shopper pays the line total.
- Prices exclude tax (US style): a line's tax is ``round(total * rate)``, its net is the total;
  the shopper pays ``total + tax``.

Each line and the shipping price is rounded once, half-up to the cent; order totals are sums of
those parts, so ``net_total + tax_total == total`` exactly, to the cent.

A voucher's discount (``apps.promotions``, already split over the lines to the cent) is taken off
each line *before* its tax is computed, and a shipping discount off the shipping price, so tax,
invoices and refunds are computed on what the shopper actually pays.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.core.money import round_money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Amounts:
    """One priced amount: ``total`` as priced in the catalog, the ``tax`` in or on it, ``net``
    without tax, and ``payable`` (what it adds to the order's total)."""

    total: Decimal
    tax: Decimal
    net: Decimal
    payable: Decimal


@dataclass(frozen=True)
class Totals:
    lines: list[Amounts]
    shipping: Amounts
    subtotal: Decimal  # the lines as priced, before any discount
    tax_total: Decimal
    net_total: Decimal
    total: Decimal
    discount_total: Decimal = ZERO  # the lines' discounts plus the shipping discount
    shipping_discount: Decimal = ZERO


def price_amount(amount: Decimal, rate: Decimal, *, prices_include_tax: bool) -> Amounts:
    """Split or extend ``amount`` (already rounded to the cent) by the tax ``rate``."""
    amount = round_money(amount)
    if prices_include_tax:
        tax = round_money(amount * rate / (1 + rate))
        return Amounts(total=amount, tax=tax, net=amount - tax, payable=amount)
    tax = round_money(amount * rate)
    return Amounts(total=amount, tax=tax, net=amount, payable=amount + tax)


def price_line(
    unit_price: Decimal, quantity: int, rate: Decimal, *, prices_include_tax: bool, discount: Decimal = ZERO
) -> Amounts:
    """A line of ``quantity`` units at ``unit_price`` less ``discount``: its total is exact, its
    tax rounded once."""
    return price_amount(unit_price * quantity - discount, rate, prices_include_tax=prices_include_tax)


def compute_totals(
    lines: list[tuple[Decimal, int]],
    shipping_price: Decimal,
    rate: Decimal,
    *,
    prices_include_tax: bool,
    discounts: list[Decimal] | None = None,
    shipping_discount: Decimal = ZERO,
) -> Totals:
    """Totals of ``lines`` (unit price, quantity) plus shipping, all at ``rate``; ``discounts``
    (one per line, to the cent) and ``shipping_discount`` are taken off before tax."""
    discounts = discounts or [ZERO] * len(lines)
    priced = [
        price_line(price, qty, rate, prices_include_tax=prices_include_tax, discount=discount)
        for (price, qty), discount in zip(lines, discounts, strict=True)
    ]
    shipping = price_amount(shipping_price - shipping_discount, rate, prices_include_tax=prices_include_tax)
    parts = [*priced, shipping]
    return Totals(
        lines=priced,
        shipping=shipping,
        subtotal=sum((round_money(price * qty) for price, qty in lines), ZERO),
        tax_total=sum((p.tax for p in parts), ZERO),
        net_total=sum((p.net for p in parts), ZERO),
        total=sum((p.payable for p in parts), ZERO),
        discount_total=sum(discounts, ZERO) + shipping_discount,
        shipping_discount=shipping_discount,
    )


def line_payable(order, line) -> Decimal:
    """What the shopper paid for the whole ``line`` (its total, plus its tax when prices exclude tax)."""
    return line.total if order.prices_include_tax else line.total + line.tax


def shipping_payable(order) -> Decimal:
    """What the shopper paid for shipping: its price less a voucher's ``shipping_discount`` (plus
    its tax when prices exclude tax; ``shipping_tax`` is already after the discount)."""
    price = order.shipping_price - (order.shipping_discount or ZERO)
    return price if order.prices_include_tax else price + order.shipping_tax


def units_payable(order, line, quantity: int, *, before: int = 0) -> Decimal:
    """What ``quantity`` units of ``line`` cost the shopper, counting ``before`` units already
    accounted for: ``round(p * (before + q) / Q) - round(p * before / Q)``, so the parts of a line
    always add up to its payable amount, to the cent, whatever the split."""
    payable, count = line_payable(order, line), line.quantity
    upto = round_money(payable * (before + quantity) / count)
    return upto - round_money(payable * before / count)


def units_total(line, quantity: int, *, before: int = 0) -> Decimal:
    """The share of ``line.total`` (as placed, before tax is added) of ``quantity`` units after
    ``before`` others, split like :func:`units_payable` so the parts add up to the line total."""
    upto = round_money(line.total * (before + quantity) / line.quantity)
    return upto - round_money(line.total * before / line.quantity)
