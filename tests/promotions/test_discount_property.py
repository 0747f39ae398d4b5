"""Discounts split over lines to the cent (hypothesis): the line shares add up to the order's
discount exactly, no line goes negative or gets more than its amount, and the totals computed
after the discount still add up (total = net + tax), so tax and refunds stay right."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.errors import ApplicationError
from apps.orders.pricing import compute_totals
from apps.promotions.discounts import DiscountLine, VoucherTerms, distribute, price_voucher

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
prices = st.decimals(min_value="0.00", max_value="999.99", places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value="0", max_value="0.9999", places=4, allow_nan=False, allow_infinity=False)
lines = st.lists(st.tuples(prices, st.integers(min_value=1, max_value=20), st.booleans()), min_size=1, max_size=12)
kinds = st.sampled_from(["percentage", "fixed", "free_shipping"])
values = st.decimals(min_value="0.01", max_value="5000.00", places=2, allow_nan=False, allow_infinity=False)


def _terms(kind, value, restricted_ids):
    if kind == "percentage":
        value = min(value, Decimal(100))
    return VoucherTerms(
        id=1,
        code="PROP",
        kind=kind,
        value=value,
        min_subtotal=None,
        starts_at=None,
        ends_at=None,
        usage_limit=None,
        used_count=0,
        once_per_customer=False,
        product_ids=frozenset(restricted_ids),
    )


@given(lines=lines, kind=kinds, value=values, shipping=prices, rate=rates, include=st.booleans(), only=st.booleans())
def test_line_discounts_add_up_and_totals_stay_right(lines, kind, value, shipping, rate, include, only):
    discount_lines = [
        DiscountLine(product_id=index, category_id=None, amount=price * qty)
        for index, (price, qty, _) in enumerate(lines)
    ]
    eligible = {index for index, (_, _, pick) in enumerate(lines) if pick} if only else set()
    try:
        discount = price_voucher(_terms(kind, value, eligible), lines=discount_lines, shipping_price=shipping, now=NOW)
    except ApplicationError as exc:  # restricted to products none of which is in the cart
        assert exc.code == "voucher_not_applicable" and only and not eligible
        return

    totals = compute_totals(
        [(price, qty) for price, qty, _ in lines],
        shipping,
        rate,
        prices_include_tax=include,
        discounts=discount.lines,
        shipping_discount=discount.shipping,
    )

    assert sum(discount.lines, Decimal(0)) + discount.shipping == discount.total == totals.discount_total
    for index, (share, line, amounts) in enumerate(zip(discount.lines, discount_lines, totals.lines, strict=True)):
        assert Decimal(0) <= share <= line.amount and share == share.quantize(Decimal("0.01"))
        assert amounts.total == line.amount - share >= 0  # no line negative
        if eligible and index not in eligible:
            assert share == 0  # only the lines the voucher is for
    assert totals.total == totals.net_total + totals.tax_total
    assert totals.tax_total == sum((a.tax for a in totals.lines), Decimal(0)) + totals.shipping.tax
    assert totals.subtotal == sum((line.amount for line in discount_lines), Decimal(0))
    base = sum((line.amount for i, line in enumerate(discount_lines) if not eligible or i in eligible), Decimal(0))
    if kind == "percentage":
        assert discount.total == (base * min(value, Decimal(100)) / 100).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    elif kind == "fixed":
        assert discount.total == min(value, base)
    else:
        assert discount.total == shipping and totals.shipping.total == 0


@given(amount=values, bases=st.lists(prices, min_size=1, max_size=30))
def test_distribute_is_exact_and_bounded(amount, bases):
    shares = distribute(amount, bases)
    assert sum(shares, Decimal(0)) == min(amount, sum(bases, Decimal(0)))
    assert all(Decimal(0) <= share <= base for share, base in zip(shares, bases, strict=True))


def test_distribute_written_example():
    # 10.00 over 3 equal lines: 3.34 + 3.33 + 3.33 (the remainder cent to the first line)
    assert distribute(Decimal("10.00"), [Decimal("5.00")] * 3) == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("starts_at", datetime(2027, 1, 1, tzinfo=UTC), "voucher_not_started"),
        ("ends_at", datetime(2026, 1, 1, tzinfo=UTC), "voucher_expired"),
        ("min_subtotal", Decimal("100.00"), "voucher_below_minimum"),
        ("usage_limit", 0, "voucher_used_up"),
    ],
)
def test_each_reason_a_voucher_does_not_apply(field, value, code):
    terms = _terms("fixed", Decimal("5.00"), set())
    terms = VoucherTerms(**{**terms.__dict__, field: value})
    with pytest.raises(ApplicationError) as err:
        price_voucher(terms, lines=[DiscountLine(1, None, Decimal("20.00"))], shipping_price=Decimal(0), now=NOW)
    assert err.value.code == code and err.value.status == 409
