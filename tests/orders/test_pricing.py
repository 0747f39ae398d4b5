"""Money: half-up per line, totals never re-rounded, and totals = lines + shipping + tax to the cent."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from apps.core.money import format_money, round_money, to_minor_units
from apps.orders.pricing import compute_totals, price_line

prices = st.decimals(min_value="0.00", max_value="9999.99", places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value="0", max_value="0.9999", places=4, allow_nan=False, allow_infinity=False)
lines = st.lists(st.tuples(prices, st.integers(min_value=1, max_value=50)), min_size=1, max_size=20)


@given(lines=lines, shipping=prices, rate=rates, include=st.booleans())
def test_totals_are_lines_plus_shipping_plus_tax_to_the_cent(lines, shipping, rate, include):
    totals = compute_totals(lines, shipping, rate, prices_include_tax=include)
    cent = Decimal("0.01")
    line_nets = sum((line.net for line in totals.lines), Decimal(0))
    assert totals.total == line_nets + totals.shipping.net + totals.tax_total
    assert totals.total == totals.net_total + totals.tax_total
    assert totals.tax_total == sum((line.tax for line in totals.lines), Decimal(0)) + totals.shipping.tax
    for amount in (totals.total, totals.tax_total, totals.net_total, *(line.tax for line in totals.lines)):
        assert amount == amount.quantize(cent)  # every part is whole cents: nothing to re-round
    if include:
        assert totals.total == sum((Decimal(p) * q for p, q in lines), Decimal(0)) + shipping
    for (price, quantity), line in zip(lines, totals.lines, strict=True):
        exact = Decimal(price) * quantity * rate / ((1 + rate) if include else 1)
        assert abs(line.tax - exact) <= Decimal("0.005")  # rounded once, half-up


def test_half_up_rounding_and_the_written_examples():
    assert round_money(Decimal("0.005")) == Decimal("0.01") and round_money(Decimal("0.0049")) == Decimal("0.00")
    assert price_line(Decimal("25.00"), 1, Decimal("0.2"), prices_include_tax=True).tax == Decimal("4.17")
    assert price_line(Decimal("0.05"), 1, Decimal("0.1"), prices_include_tax=False).tax == Decimal("0.01")  # 0.005


def test_format_money_with_babel():
    assert format_money(Decimal("24"), "EUR", "en") == "€24.00"
    assert format_money("1234.5", "EUR", "fr").replace("\u202f", " ").replace("\xa0", " ") == "1 234,50 €"
    assert format_money(Decimal("5"), "USD", "xx") == "$5.00"
    assert format_money("abc", "EUR") == "abc" and format_money(None, "EUR") == ""
    assert to_minor_units(Decimal("12.34"), "EUR") == 1234 and to_minor_units(Decimal("500"), "JPY") == 500
