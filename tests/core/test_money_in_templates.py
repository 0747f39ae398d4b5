"""Issue 13: every price a person reads is formatted by Babel (``{{ amount|money:currency }}``),
never printed raw as ``62.45 EUR``."""

import re
from pathlib import Path

from django.conf import settings

from apps.core.money import format_money
from apps.core.templatetags.money import money_filter

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A variable whose last name part is a money amount, printed without a filter.
RAW_MONEY = re.compile(
    r"\{\{\s*[\w.]*\b(price|price_min|price_max|compare_at_price|amount|subtotal|total_amount|grand_total)\s*\}\}"
)
RAW_ORDER_TOTAL = re.compile(
    r"\{\{\s*(?:order|cart|payment|refund|line)\.(total|subtotal|shipping_total|tax_total)\s*\}\}"
)
RAW_CURRENCY_SUFFIX = re.compile(r"\}\}\s*\{\{\s*[\w.]*currency\s*\}\}")


def test_no_template_prints_an_amount_raw():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (RAW_MONEY, RAW_ORDER_TOTAL, RAW_CURRENCY_SUFFIX):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(TEMPLATES)}:{line}: {match.group(0)}")
    assert offenders == []


def test_the_scan_would_catch_a_raw_price():
    assert RAW_MONEY.search("<td>{{ v.price }}</td>")
    assert RAW_CURRENCY_SUFFIX.search("{{ payment.amount }} {{ payment.currency }}")
    assert RAW_ORDER_TOTAL.search("of {{ order.total }} has")
    assert not RAW_MONEY.search("{{ v.price|money:v.currency }}")


def test_money_is_formatted_for_the_locale():
    assert money_filter("62.45", "EUR") == "€62.45"
    assert format_money("62.45", "EUR", "de") == "62,45\xa0€"
    assert format_money("1234.5", "USD", "en") == "$1,234.50"
    assert format_money("", "EUR") == ""
