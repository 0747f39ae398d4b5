"""Reads of the promotions app: vouchers by code, their terms, sales, and what a voucher takes
off a set of lines (``price_voucher_code``). Every function takes ``tenant=`` explicitly."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from apps.catalog import selectors as catalog_selectors
from apps.core.errors import ApplicationError, Conflict, ErrorCode, NotFound
from apps.promotions.discounts import DiscountLine, VoucherDiscount, VoucherTerms, check_usable, price_voucher
from apps.promotions.models import Sale, Voucher, VoucherRedemption
from apps.promotions.sales import sale_percentages_for_products, sale_prices_for_variants  # noqa: F401 - public

MAX_CODE_LENGTH = 40


def normalise_code(code) -> str:
    """A code as typed, trimmed (matching is case-insensitive)."""
    return str(code or "").strip()[: MAX_CODE_LENGTH + 1]


def find_voucher(*, tenant, code) -> Voucher | None:
    """The tenant's voucher with ``code`` (any case), or None."""
    code = normalise_code(code)
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return Voucher.objects.for_tenant(tenant).filter(code__iexact=code).first()


def get_voucher_by_code(*, tenant, code) -> Voucher:
    """An active voucher by code; 400 ``voucher_invalid`` otherwise (unknown, inactive, empty)."""
    voucher = find_voucher(tenant=tenant, code=code)
    if voucher is None or not voucher.is_active:
        raise ApplicationError(
            "This code is not valid in this shop.",
            code=ErrorCode.VOUCHER_INVALID,
            details={"code": ["This code is not valid in this shop."]},
        )
    return voucher


def voucher_terms(*, tenant, voucher: Voucher) -> VoucherTerms:
    """The voucher's rules as plain data; its categories expanded to their subcategories."""
    product_ids = frozenset(voucher.products.values_list("id", flat=True))
    category_ids: set[int] = set()
    chosen = set(voucher.categories.values_list("id", flat=True))
    if chosen:
        tree = catalog_selectors.get_category_tree(tenant=tenant)
        for node in tree:
            if node["id"] in chosen:
                category_ids.update(catalog_selectors.descendant_ids(tree, node))
    return VoucherTerms(
        id=voucher.pk,
        code=voucher.code,
        kind=voucher.kind,
        value=voucher.value,
        min_subtotal=voucher.min_subtotal,
        starts_at=voucher.starts_at,
        ends_at=voucher.ends_at,
        usage_limit=voucher.usage_limit,
        used_count=voucher.used_count,
        once_per_customer=voucher.once_per_customer,
        product_ids=product_ids,
        category_ids=frozenset(category_ids),
    )


def has_redeemed(*, tenant, voucher: Voucher, email: str) -> bool:
    """Whether ``email`` (any case) already used ``voucher``."""
    if not email:
        return False
    return VoucherRedemption.objects.for_tenant(tenant).filter(voucher=voucher, email=email.lower()).exists()


def check_voucher_usable(*, tenant, voucher: Voucher, email: str = "", now: datetime | None = None) -> None:
    """Raise why ``voucher`` cannot be used now by ``email`` (period, usage limit, already used)."""
    if not voucher.is_active:
        raise ApplicationError("This code is not valid in this shop.", code=ErrorCode.VOUCHER_INVALID)
    check_usable(voucher_terms(tenant=tenant, voucher=voucher), now=now or timezone.now())
    if voucher.once_per_customer and has_redeemed(tenant=tenant, voucher=voucher, email=email):
        raise Conflict(f"You have already used the code {voucher.code}.", code=ErrorCode.VOUCHER_ALREADY_USED)


def price_voucher_code(
    *,
    tenant,
    voucher: Voucher,
    lines: list[DiscountLine],
    shipping_price: Decimal,
    email: str = "",
    now: datetime | None = None,
) -> VoucherDiscount:
    """What ``voucher`` takes off ``lines`` (in order) and shipping for ``email`` now, or the
    reason it does not apply (:class:`ApplicationError` with a ``voucher_*`` code)."""
    check_voucher_usable(tenant=tenant, voucher=voucher, email=email, now=now)
    terms = voucher_terms(tenant=tenant, voucher=voucher)
    return price_voucher(terms, lines=lines, shipping_price=shipping_price, now=now or timezone.now())


def list_vouchers(*, tenant) -> QuerySet:
    """The tenant's vouchers, newest first."""
    return Voucher.objects.for_tenant(tenant).order_by("-created_at", "-id")


def get_voucher(*, tenant, voucher_id) -> Voucher:
    """One of the tenant's vouchers by id; :class:`NotFound`."""
    try:
        pk = int(voucher_id)
    except (TypeError, ValueError):
        raise NotFound("No such voucher.") from None
    voucher = Voucher.objects.for_tenant(tenant).filter(pk=pk).prefetch_related("products", "categories").first()
    if voucher is None:
        raise NotFound("No such voucher.")
    return voucher


def list_sales(*, tenant) -> QuerySet:
    """The tenant's sales, latest start first."""
    return Sale.objects.for_tenant(tenant).select_related("category").order_by("-starts_at", "-id")


def get_sale(*, tenant, sale_id) -> Sale:
    """One of the tenant's sales by id; :class:`NotFound`."""
    try:
        pk = int(sale_id)
    except (TypeError, ValueError):
        raise NotFound("No such sale.") from None
    sale = Sale.objects.for_tenant(tenant).filter(pk=pk).prefetch_related("products").first()
    if sale is None:
        raise NotFound("No such sale.")
    return sale


def count_redemptions(*, tenant, voucher: Voucher) -> int:
    """How many orders used ``voucher``."""
    return VoucherRedemption.objects.for_tenant(tenant).filter(voucher=voucher).count()
