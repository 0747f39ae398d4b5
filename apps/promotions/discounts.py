"""Pure money arithmetic of vouchers: what a voucher takes off which lines, to the cent.

No database here: :func:`distribute` splits an amount over line amounts (largest remainder, so
the shares add up exactly and none passes its line), and :func:`price_voucher` applies a
voucher's rules to priced lines or raises the reason it does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from apps.core.errors import Conflict, ErrorCode
from apps.core.money import round_money
from apps.promotions.models import VoucherKind

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DiscountLine:
    """A priced line as a voucher sees it: its product, category and amount before discount."""

    product_id: int
    category_id: int | None
    amount: Decimal


@dataclass(frozen=True)
class VoucherTerms:
    """A voucher's rules as plain data (``category_ids`` include subcategories)."""

    id: int
    code: str
    kind: str
    value: Decimal
    min_subtotal: Decimal | None
    starts_at: datetime | None
    ends_at: datetime | None
    usage_limit: int | None
    used_count: int
    once_per_customer: bool
    product_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()

    @property
    def is_restricted(self) -> bool:
        return bool(self.product_ids or self.category_ids)

    def covers(self, line: DiscountLine) -> bool:
        if not self.is_restricted:
            return True
        return line.product_id in self.product_ids or (
            line.category_id is not None and line.category_id in self.category_ids
        )


@dataclass(frozen=True)
class VoucherDiscount:
    """What a voucher takes off: one amount per line (same order), and off shipping."""

    code: str
    voucher_id: int
    lines: list[Decimal] = field(default_factory=list)
    shipping: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.lines, ZERO) + self.shipping


def distribute(amount: Decimal, bases: list[Decimal]) -> list[Decimal]:
    """Split ``amount`` over ``bases`` in proportion, in whole cents (largest remainder first,
    ties to the earlier line): the shares add up to ``min(amount, sum(bases))`` exactly and no
    share is negative or larger than its base."""
    cents = [int(round_money(base) * 100) for base in bases]
    if any(c < 0 for c in cents):
        raise ValueError("line amounts cannot be negative")
    whole = sum(cents)
    target = min(int(round_money(max(amount, ZERO)) * 100), whole)
    if whole == 0 or target == 0:
        return [ZERO for _ in bases]
    shares = [target * c // whole for c in cents]
    remainders = [target * c % whole for c in cents]
    for index in sorted(range(len(cents)), key=lambda i: (-remainders[i], i))[: target - sum(shares)]:
        shares[index] += 1
    return [Decimal(share) / 100 for share in shares]


def check_usable(terms: VoucherTerms, *, now: datetime) -> None:
    """Raise the reason ``terms`` cannot be used at ``now`` (period, usage limit)."""
    if terms.starts_at is not None and now < terms.starts_at:
        raise Conflict(f"The code {terms.code} is not valid yet.", code=ErrorCode.VOUCHER_NOT_STARTED)
    if terms.ends_at is not None and now >= terms.ends_at:
        raise Conflict(f"The code {terms.code} has expired.", code=ErrorCode.VOUCHER_EXPIRED)
    if terms.usage_limit is not None and terms.used_count >= terms.usage_limit:
        raise Conflict(f"The code {terms.code} has been used up.", code=ErrorCode.VOUCHER_USED_UP)


def price_voucher(
    terms: VoucherTerms, *, lines: list[DiscountLine], shipping_price: Decimal, now: datetime
) -> VoucherDiscount:
    """The discount of ``terms`` on ``lines`` (and shipping), or :class:`Conflict` with the reason:
    ``voucher_not_started``, ``voucher_expired``, ``voucher_used_up``, ``voucher_below_minimum``
    (``details.min_subtotal``), ``voucher_not_applicable`` (no line is one it is for)."""
    check_usable(terms, now=now)
    subtotal = sum((line.amount for line in lines), ZERO)
    if terms.min_subtotal is not None and subtotal < terms.min_subtotal:
        raise Conflict(
            f"The code {terms.code} needs an order of at least {terms.min_subtotal}.",
            code=ErrorCode.VOUCHER_BELOW_MINIMUM,
            details={"min_subtotal": str(terms.min_subtotal), "subtotal": str(subtotal)},
        )
    eligible = [terms.covers(line) for line in lines]
    if not any(eligible):
        raise Conflict(
            f"The code {terms.code} is not for the items in your cart.", code=ErrorCode.VOUCHER_NOT_APPLICABLE
        )
    bases = [line.amount if ok else ZERO for line, ok in zip(lines, eligible, strict=True)]
    base_total = sum(bases, ZERO)
    if terms.kind == VoucherKind.FREE_SHIPPING:
        return VoucherDiscount(terms.code, terms.id, [ZERO for _ in lines], round_money(max(shipping_price, ZERO)))
    if terms.kind == VoucherKind.PERCENTAGE:
        amount = round_money(base_total * terms.value / 100)
    else:
        amount = min(round_money(terms.value), base_total)
    return VoucherDiscount(terms.code, terms.id, distribute(amount, bases), ZERO)
