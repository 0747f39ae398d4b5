"""Writes of the promotions app: vouchers and sales (console and API), and redeeming a voucher
inside the caller's order transaction.

Redeeming is where the limits hold under concurrency: the voucher row is locked (``FOR
UPDATE``, after the variants and before the order counter, the order every placement takes
them in), the use is counted with one conditional update (``CHECK used_count <= usage_limit`` is
the last wall), and the redemption row's partial ``UNIQUE (voucher, email)`` refuses a second use
by the same customer. Each runs in a savepoint, so a refused use is a clean 409, and the caller's
rollback (a failed order) takes the use back with it. Cancelling a whole order gives its use
back (:func:`release_voucher_redemption`, in the cancelling transaction).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.catalog import services as catalog_services
from apps.core.errors import Conflict, ErrorCode, NotFound
from apps.promotions.inputs import clean_sale_data, clean_voucher_data
from apps.promotions.models import Sale, Voucher, VoucherRedemption


def _code_taken() -> Conflict:
    return Conflict(
        "A voucher with this code already exists.",
        code=ErrorCode.CONFLICT,
        details={"code": ["A voucher with this code already exists (codes ignore case)."]},
    )


def _save_voucher(*, tenant, voucher: Voucher, cleaned: dict) -> Voucher:
    product_ids, category_ids = cleaned.pop("product_ids"), cleaned.pop("category_ids")
    for name, value in cleaned.items():
        setattr(voucher, name, value)
    try:
        with transaction.atomic():
            voucher.save()
            voucher.products.set(product_ids)
            voucher.categories.set(category_ids)
    except IntegrityError:
        if Voucher.objects.for_tenant(tenant).filter(code__iexact=voucher.code).exclude(pk=voucher.pk).exists():
            raise _code_taken() from None
        raise
    return voucher


def create_voucher(*, tenant, data: dict) -> Voucher:
    """A new voucher from ``data`` (see ``inputs.clean_voucher_data``); 400 per field, 409 for a
    code the shop already has (in any case)."""
    cleaned = clean_voucher_data(tenant=tenant, data=data)
    return _save_voucher(tenant=tenant, voucher=Voucher(tenant=tenant), cleaned=cleaned)


def update_voucher(*, tenant, voucher: Voucher, data: dict) -> Voucher:
    """Replace a voucher's fields with ``data`` (``used_count`` is kept). A usage limit below the
    uses already made is 409."""
    cleaned = clean_voucher_data(tenant=tenant, data=data)
    with transaction.atomic():
        locked = Voucher.objects.for_tenant(tenant).select_for_update().filter(pk=voucher.pk).first()
        if locked is None:
            raise NotFound("No such voucher.")
        if cleaned["usage_limit"] is not None and cleaned["usage_limit"] < locked.used_count:
            raise Conflict(
                f"This voucher was already used {locked.used_count} times.",
                code=ErrorCode.CONFLICT,
                details={"usage_limit": [f"At least {locked.used_count} (the uses so far)."]},
            )
        return _save_voucher(tenant=tenant, voucher=locked, cleaned=cleaned)


def delete_voucher(*, tenant, voucher: Voucher) -> None:
    """Delete a voucher never used; one that was used is deactivated instead (orders keep its code)."""
    with transaction.atomic():
        if VoucherRedemption.objects.for_tenant(tenant).filter(voucher=voucher).exists():
            Voucher.objects.for_tenant(tenant).filter(pk=voucher.pk).update(is_active=False)
        else:
            Voucher.objects.for_tenant(tenant).filter(pk=voucher.pk).delete()


def lock_voucher(*, tenant, voucher_id: int) -> Voucher | None:
    """``SELECT ... FOR UPDATE`` the voucher (inside the order transaction), or None if deleted."""
    return Voucher.objects.for_tenant(tenant).select_for_update().filter(pk=voucher_id).first()


def redeem_voucher(*, tenant, voucher: Voucher, email: str, order_id: int, discount: Decimal) -> VoucherRedemption:
    """Record one use of ``voucher`` (locked by :func:`lock_voucher`) by ``email`` for the order.

    Inside the caller's transaction. 409 ``voucher_used_up`` past the usage limit, 409
    ``voucher_already_used`` for a second use by the same email of a once-per-customer voucher;
    the database refuses both even if the checks before were raced past.
    """
    email = email.strip().lower()
    try:
        with transaction.atomic():
            redemption = VoucherRedemption.objects.create(
                tenant=tenant,
                voucher=voucher,
                email=email,
                order_id=order_id,
                per_customer=voucher.once_per_customer,
                discount=discount,
            )
    except IntegrityError:
        raise Conflict(f"You have already used the code {voucher.code}.", code=ErrorCode.VOUCHER_ALREADY_USED) from None
    try:
        with transaction.atomic():
            Voucher.objects.for_tenant(tenant).filter(pk=voucher.pk).update(used_count=F("used_count") + 1)
    except IntegrityError:  # CHECK used_count <= usage_limit
        raise Conflict(f"The code {voucher.code} has been used up.", code=ErrorCode.VOUCHER_USED_UP) from None
    return redemption


def release_voucher_redemption(*, tenant, order_id: int) -> VoucherRedemption | None:
    """Give back the voucher use of a cancelled order (inside the cancelling transaction): its
    redemption row is deleted and the voucher's ``used_count`` lowered by one, so the use can be
    taken again (and a once-per-customer code used again by that email). Returns the redemption
    released (its ``voucher.code`` and ``discount`` for the order's history), or None when the
    order has no use to give back, e.g. released already.

    Locks the voucher row first (the order placing takes it in), then deletes the redemption: the
    counter is lowered only by the call whose DELETE removed the row, so two concurrent releases
    lower it once, and a placement waiting on the voucher sees the use given back.
    """
    with transaction.atomic():  # the caller's transaction (a savepoint), or its own when called alone
        found = VoucherRedemption.objects.for_tenant(tenant).filter(order_id=order_id)
        for redemption_id, voucher_id in found.values_list("pk", "voucher_id"):
            voucher = lock_voucher(tenant=tenant, voucher_id=voucher_id)
            redemption = (
                VoucherRedemption.objects.for_tenant(tenant).select_related("voucher").filter(pk=redemption_id).first()
            )
            if voucher is None or redemption is None:
                continue  # released by a concurrent call meanwhile
            deleted, _ = VoucherRedemption.objects.for_tenant(tenant).filter(pk=redemption_id).delete()
            if deleted:
                Voucher.objects.for_tenant(tenant).filter(pk=voucher_id, used_count__gt=0).update(
                    used_count=F("used_count") - 1
                )
                return redemption
    return None


def _save_sale(*, tenant, sale: Sale, cleaned: dict) -> Sale:

    product_ids = cleaned.pop("product_ids")
    for name, value in cleaned.items():
        setattr(sale, name, value)
    now = timezone.now()
    # A start or end already past is shown by this save's version bump; the beat job announces the rest.
    sale.start_announced = sale.starts_at <= now
    sale.end_announced = sale.ends_at <= now
    with transaction.atomic():
        sale.save()
        sale.products.set(product_ids)
        catalog_services.refresh_sale_percentages(tenant=tenant, now=now)  # sorting and price filters
        catalog_services.catalog_changed(tenant_id=tenant.pk, reindex=False)
    return sale


def create_sale(*, tenant, data: dict) -> Sale:
    """A new sale from ``data`` (see ``inputs.clean_sale_data``); 400 per field."""
    return _save_sale(tenant=tenant, sale=Sale(tenant=tenant), cleaned=clean_sale_data(tenant=tenant, data=data))


def update_sale(*, tenant, sale: Sale, data: dict) -> Sale:
    """Replace a sale's fields with ``data``; the storefront shows the change at once."""
    return _save_sale(tenant=tenant, sale=sale, cleaned=clean_sale_data(tenant=tenant, data=data))


def delete_sale(*, tenant, sale: Sale) -> None:
    """Delete a sale (prices in carts go back to the catalog's; pages change at once)."""
    with transaction.atomic():
        Sale.objects.for_tenant(tenant).filter(pk=sale.pk).delete()
        catalog_services.refresh_sale_percentages(tenant=tenant)
        catalog_services.catalog_changed(tenant_id=tenant.pk, reindex=False)
