"""Money: ``Decimal`` amounts in a currency, rounded half-up to the cent, formatted by Babel.

The rounding rule (``docs/architecture.md``): every *line* amount (a line's total, its tax, a
shipping price's tax) is rounded half-up to two decimals once, where it is computed; totals are
sums of those rounded parts and are never rounded again. Minor units (cents) appear only at a
payment provider's edge (:func:`to_minor_units`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import get_language, to_locale

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to the cent (``Decimal("0.005")`` -> ``Decimal("0.01")``)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """An amount in the currency's minor unit (``12.34`` EUR -> ``1234``; JPY has none)."""
    digits = get_currency_precision(currency.upper())
    return int((Decimal(amount) * (Decimal(10) ** digits)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _babel_locale(locale: str | None) -> str:
    name = to_locale(locale or get_language() or "en")
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return "en"
    return name


def format_money(amount, currency: str, locale: str | None = None) -> str:
    """``€24.00`` for people: ``amount`` (Decimal, str or number) in ``currency`` for ``locale``
    (default: the active language). An amount that is not a number is returned as given."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    return format_currency(value, currency.upper(), locale=_babel_locale(locale))
