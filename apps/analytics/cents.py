"""Money in whole hundredths for the rollups: every order amount is rounded to 0.01, so its cents
are exact integers and sums of them never drift (no floats)."""

from __future__ import annotations

from decimal import Decimal


def to_cents(amount) -> int:
    """An amount rounded to 0.01 (every order amount is) as a whole number of hundredths."""
    return int((Decimal(str(amount)) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    """Hundredths back to a ``Decimal`` amount with two places."""
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))
