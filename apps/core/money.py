"""Money: ``Decimal`` amounts in a currency, rounded half-up to the cent, formatted by Babel.

The rounding rule (``docs/architecture.md``): every *line* amount (a line's total, its tax, a
shipping price's tax) is rounded half-up to two decimals once, where it is computed; totals are
sums of those rounded parts and are never rounded again. Minor units (cents) appear only at a
payment provider's edge (:func:`to_minor_units`).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.core import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_group_symbol,
    parse_decimal,
)
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


_SPACES = ("\u00a0", "\u202f", "\u2009", " ")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d{1,2})?$")  # 24 / 24.5 / 24.00 — the API's form
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d{1,2}$")  # 24,5 / 24,00 — never a thousands group


def parse_money_input(text: str, *, currency: str, locale: str | None = None) -> Decimal:
    """The amount a person typed, as a ``Decimal``: in ``locale``'s own format (``1.234,50`` in
    ``de``, ``1,234.50`` in ``en``, ``1 234,50`` in ``fr``), with or without the currency's symbol
    or code (``€24``, ``24,00 €``, ``EUR 24``). ``24.00`` and ``24,00`` are accepted in every locale
    (one separator followed by one or two digits cannot be a thousands group). Raises
    ``ValueError`` with a message for people; ranges are the caller's rule."""
    name = _babel_locale(locale)
    value = (text or "").strip()
    symbols = {currency.upper(), currency.lower(), get_currency_symbol(currency.upper(), locale=name)}
    for symbol in sorted(symbols, key=len, reverse=True):
        value = value.replace(symbol, "")
    group = get_group_symbol(name)
    for space in _SPACES:
        value = value.replace(space, group if group in _SPACES else "")
    value = value.strip(group if group in _SPACES else " ").strip()
    if not value:
        raise ValueError("Enter an amount.")
    if _PLAIN.match(value):
        return Decimal(value)
    if _DECIMAL_COMMA.match(value):
        return Decimal(value.replace(",", "."))
    try:
        return parse_decimal(value, locale=name, strict=True)
    except NumberFormatError:
        example = format_decimal(Decimal("1234.50"), format="#,##0.00", locale=name)
        raise ValueError(f"Write an amount like {example} or 24.00.") from None
