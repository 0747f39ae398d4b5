"""The stored sale of each product (``Product.sale_percentage``), from which the database computes
``Product.effective_price_min``, the price the storefront and the public API sort, filter and
count price facets on.

The catalog does not know sales: it asks ``price_hooks.sale_targets`` (promotions registers
into it) which sales are live at ``now`` and writes the best percentage of each product in one
set-based UPDATE (a ``CASE`` per live sale, the greatest wins), touching only rows that change.
Who calls it: the catalog's own summary refresh (new products, variant edits), a product's
category change, a category move or deletion, and promotions when a sale is saved or deleted
and when its beat job announces a start or an end.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.db.models.lookups import Exact
from django.utils import timezone

from apps.catalog import price_hooks
from apps.catalog.models import Category, Product

_PERCENT = DecimalField(max_digits=5, decimal_places=2)
_NONE = Value(Decimal("0.00"), output_field=_PERCENT)
_LOCK_CLASS = 12_0007  # pg_advisory_xact_lock(class, tenant): whole-tenant sale price refreshes


def _covers(tenant, target: price_hooks.SaleTarget, paths: dict[int, str]) -> Q:
    """The products ``target`` covers: its own ids, and its categories' subtrees (by path prefix,
    a subquery on the category table, so no join on the product UPDATE)."""
    condition = Q(pk__in=sorted(target.product_ids)) if target.product_ids else Q(pk__in=[])
    for category_id in sorted(target.category_ids):
        if category_id in paths:
            subtree = Category.objects.for_tenant(tenant).filter(path__startswith=paths[category_id]).values("id")
            condition |= Q(category_id__in=subtree)
    return condition


def best_percentage_expression(*, tenant, now: datetime | None = None):
    """An expression giving each product's best live sale percentage, 0 for none (a sale's
    percentage is above 0), or None when no sale is live. One query for the targets, one for
    their categories' paths when a live sale names a category."""
    targets = price_hooks.sale_targets(tenant=tenant, now=now or timezone.now())
    if not targets:
        return None
    category_ids = {cid for target in targets for cid in target.category_ids}
    paths = (
        dict(Category.objects.for_tenant(tenant).filter(pk__in=category_ids).values_list("id", "path"))
        if category_ids
        else {}
    )
    cases = [
        Case(When(_covers(tenant, t, paths), then=Value(t.percentage, output_field=_PERCENT)), default=_NONE)
        for t in targets
    ]
    # 0 is "no sale": GREATEST without NULLs behaves the same on every database
    return Greatest(*cases, _NONE) if len(cases) > 1 else cases[0]


def refresh_sale_percentages(*, tenant, product_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Store the best live sale percentage of the tenant's products (``product_ids``, or all),
    as the registered sale targets say at ``now``: one UPDATE of the rows whose sale changed.
    Returns how many changed. Callers bump the catalog version (``catalog_changed``).

    A whole-tenant refresh (sales saved or announced) first takes a per-tenant transaction lock
    on PostgreSQL, so two of them (the beat job and a sale saved in the console) cannot write
    what each read before the other committed."""
    tenant_id = getattr(tenant, "pk", tenant)
    if product_ids is None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, tenant_id % 2**31])
    qs = Product.objects.for_tenant(tenant_id)
    if product_ids is not None:
        qs = qs.filter(pk__in=product_ids)
    best = best_percentage_expression(tenant=tenant, now=now)
    if best is None:  # no live sale: only the rows still marked change
        return qs.filter(sale_percentage__isnull=False).update(sale_percentage=None)
    changed = qs.exclude(Exact(Coalesce(F("sale_percentage"), _NONE), best))  # 0 on both sides: no sale
    return changed.update(sale_percentage=NullIf(best, _NONE, output_field=_PERCENT))


def refresh_every_tenant(*, now: datetime | None = None) -> dict[int, int]:
    """:func:`refresh_sale_percentages` for every tenant with products, each in its own
    transaction (after deploying migration 0007, or to repair rows written outside the services).
    Returns ``{tenant_id: rows written}``; callers bump the versions."""
    tenant_ids = Product.objects.all_tenants().order_by("tenant_id").values_list("tenant_id", flat=True).distinct()
    written = {}
    for tenant_id in list(tenant_ids):
        with transaction.atomic():
            written[tenant_id] = refresh_sale_percentages(tenant=tenant_id, now=now)
    return written
