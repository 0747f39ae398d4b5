"""The orders app's part of GDPR: a person's orders for a data export, and their erasure.

Orders are accounting records and are kept for the legal period; erasure therefore *replaces*
the person's data on them: the email becomes ``erased-<random>@erased.invalid``, the shipping
address keeps only its country (the tax jurisdiction), the link to the account goes. Numbers,
lines, amounts, taxes, statuses and the event history stay, so totals and reports do not move.
Their carts (which hold the same email and address) are deleted, and so are order exports that
were filtered by their email (every other export file is deleted after a day anyway). Higher apps hear about it through
``hooks.register_orders_anonymised`` (invoices renders their PDFs again) in the same transaction.

Called by ``apps.analytics.privacy.requests`` (an account's export and erasure, all shops) and by
the console's customer page (one email in one shop, ``orders.manage``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import Q

from apps.orders import hooks
from apps.orders.models import Cart, Order, OrderExportJob
from apps.orders.services.status import append_order_event

ERASED_DOMAIN = "erased.invalid"
KEPT_ADDRESS_FIELDS = ("country",)


def _order_data(order: Order) -> dict:
    return {
        "shop": order.tenant.slug,
        "number": order.number,
        "placed_at": order.created_at.isoformat(),
        "email": order.email,
        "shipping_address": order.shipping_address,
        "shipping_method": order.shipping_method_name,
        "status": order.status,
        "payment_status": order.payment_status,
        "payment_method": order.payment_method,
        "currency": order.currency,
        "total": str(order.total),
        "tax_total": str(order.tax_total),
        "lines": [
            {"sku": line.sku, "name": line.product_name, "quantity": line.quantity, "total": str(line.total)}
            for line in order.lines.all()
        ],
    }


def _person_q(*, email: str = "", user_id: int | None = None) -> Q:
    email = (email or "").strip().lower()
    condition = Q(pk__in=[])
    if email:
        condition |= Q(email=email)
    if user_id:
        condition |= Q(user_id=user_id)
    return condition


def export_customer_orders(*, tenant, email: str) -> list[dict]:
    """The orders of ``email`` in one shop, as JSON-ready dicts (the staff's GDPR export)."""
    orders = Order.objects.for_tenant(tenant).filter(_person_q(email=email)).select_related("tenant")
    return [_order_data(order) for order in orders.prefetch_related("lines").order_by("created_at")]


def export_user_orders(*, user) -> list[dict]:
    """The orders of an account, or placed with its email, in every shop (the person's export)."""
    # Across tenants on purpose: a data-subject request covers every shop that holds the person.
    orders = Order.objects.all_tenants().filter(_person_q(email=user.email, user_id=user.pk))
    return [_order_data(o) for o in orders.select_related("tenant").prefetch_related("lines").order_by("created_at")]


def _anonymise(orders_qs, *, actor=None) -> dict[int, list[int]]:
    """Replace the person's data on the orders (locked) and delete their carts; by tenant id."""
    orders = list(orders_qs.select_related("tenant").select_for_update(of=("self",)).order_by("pk"))
    by_tenant: dict[int, list[int]] = defaultdict(list)
    if not orders:
        return by_tenant
    placeholder = f"erased-{uuid.uuid4().hex}@{ERASED_DOMAIN}"
    for order in orders:
        address = {key: order.shipping_address.get(key, "") for key in KEPT_ADDRESS_FIELDS}
        Order.objects.for_tenant(order.tenant_id).filter(pk=order.pk).update(
            email=placeholder, shipping_address=address, user=None
        )
        append_order_event(tenant=order.tenant, order=order, kind="personal_data_erased", actor=actor)
        by_tenant[order.tenant_id].append(order.pk)
    cart_ids = [order.cart_id for order in orders if order.cart_id]
    for tenant_id, ids in by_tenant.items():
        Cart.objects.for_tenant(tenant_id).filter(pk__in=cart_ids).delete()
        hooks.notify_orders_anonymised(tenant_id, ids)
    return by_tenant


def _delete_exports_naming(jobs_qs, email: str) -> None:
    """Export jobs whose filter was this email (their params and file name the person)."""
    for job in jobs_qs.filter(params__q__iexact=email):
        if job.result:
            name, storage = job.result.name, job.result.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        job.delete()


def anonymise_customer_orders(*, tenant, email: str, actor=None) -> int:
    """Erase ``email``'s data from its orders and carts in one shop; returns how many orders."""
    email = (email or "").strip().lower()
    if not email:
        return 0
    with transaction.atomic():
        done = _anonymise(Order.objects.for_tenant(tenant).filter(email=email), actor=actor)
        Cart.objects.for_tenant(tenant).filter(email=email).delete()
        _delete_exports_naming(OrderExportJob.objects.for_tenant(tenant), email)
    return sum(len(ids) for ids in done.values())


def anonymise_user_orders(*, user) -> int:
    """Erase an account's data (by account and by its email) from orders and carts in every shop."""
    with transaction.atomic():
        # Across tenants on purpose: an account's erasure covers every shop.
        done = _anonymise(Order.objects.all_tenants().filter(_person_q(email=user.email, user_id=user.pk)))
        Cart.objects.all_tenants().filter(Q(user_id=user.pk) | Q(email=user.email.lower())).delete()
        _delete_exports_naming(OrderExportJob.objects.all_tenants(), user.email)
    return sum(len(ids) for ids in done.values())
