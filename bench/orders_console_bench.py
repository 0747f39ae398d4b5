"""Orders console benchmark: prints numbers, asserts nothing.

Seeds ``BENCH_ORDERS`` orders (100,000 by default; skipped when the tenant already has them) in
tenant ``bench-orders`` and times the console list's queries as the view runs them (newest page,
a deep keyset page, status and payment filters, search by number and by email), each
``BENCH_ORDERS_REPEAT`` times after one warm-up, printing the median and p95 in milliseconds with
the load average (other work on the machine changes the figures: say so when quoting them). Then
the whole console page (``/a/bench-orders/orders/``: view, queries, template) for the list and a
search through Django's test client, with its query count, and the plan PostgreSQL chose for the
email-prefix search (the ``(tenant, email text_pattern_ops)`` index). Then the customer list (one
row per email: newest page, email prefix, a keyset page 5,000 customers deep, its plan) and its
console page and API (``/api/v1/t/bench-orders/customers/``) the same way.

    DATABASE_URL=postgres://... .venv/bin/python bench/orders_console_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.orders import customers, selectors  # noqa: E402
from apps.orders.models import Order, OrderCounter  # noqa: E402
from apps.tenants.models import Tenant  # noqa: E402

COUNT = int(os.environ.get("BENCH_ORDERS", "100000"))
REPEAT = int(os.environ.get("BENCH_ORDERS_REPEAT", "30"))
STATUSES = [
    "unfulfilled",
    "unfulfilled",
    "partially_fulfilled",
    "fulfilled",
    "fulfilled",
    "fulfilled",
    "partially_returned",
    "returned",
    "cancelled",
    "unconfirmed",
]
PAYMENTS = ["unpaid", "paid", "paid", "paid", "partially_refunded", "refunded"]


def seed(tenant) -> int:
    """Bring the tenant to COUNT orders with bulk inserts (no lines: the list does not read them)."""
    existing = Order.objects.for_tenant(tenant).count()
    if existing >= COUNT:
        return existing
    now = timezone.now()
    batch = []
    for n in range(existing + 1, COUNT + 1):
        total = Decimal(n % 500) + Decimal("9.90")
        tax = (total / 6).quantize(Decimal("0.01"))
        batch.append(
            Order(
                tenant=tenant,
                number=n,
                email=f"shopper{n % 20000}@example.com",
                shipping_address={"country": "FR"},
                shipping_method_name="Standard",
                currency="EUR",
                prices_include_tax=True,
                subtotal=total - Decimal("4.90"),
                shipping_price=Decimal("4.90"),
                shipping_tax=Decimal("0.82"),
                tax_total=tax,
                net_total=total - tax,
                total=total,
                status=STATUSES[n % len(STATUSES)],
                payment_status=PAYMENTS[n % len(PAYMENTS)],
                payment_method="bank_transfer",
            )
        )
        if len(batch) == 5000:
            Order.objects.bulk_create(batch)
            batch = []
    if batch:
        Order.objects.bulk_create(batch)
    # spread the creation times over a year, newest = highest number
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_order SET created_at = %s - (%s - number) * interval '5 minutes' WHERE tenant_id = %s",
            [now, COUNT, tenant.pk],
        )
        cursor.execute("VACUUM ANALYZE orders_order" if not connection.in_atomic_block else "ANALYZE orders_order")
    OrderCounter.objects.for_tenant(tenant).update_or_create(tenant=tenant, defaults={"last_number": COUNT})
    return Order.objects.for_tenant(tenant).count()


def timed(label: str, make_qs) -> None:
    samples = []
    for i in range(REPEAT + 1):
        start = time.perf_counter()
        rows = list(make_qs()[:51])
        elapsed = (time.perf_counter() - start) * 1000
        if i:
            samples.append(elapsed)
    print(
        f"  {label:<38} median {statistics.median(samples):7.2f} ms   p95 {p95_of(samples):7.2f} ms   rows {len(rows)}"
    )


def p95_of(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[max(0, int(len(samples) * 0.95) - 1)]


def page_timed(client, label: str, path: str) -> None:
    """The console page end to end (middleware, membership check, view, queries, template)."""
    from django.test.utils import CaptureQueriesContext

    samples, queries = [], 0
    for i in range(REPEAT + 1):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        if i:
            samples.append(elapsed)
            queries = len(captured)
    print(
        f"  page {label:<33} median {statistics.median(samples):7.2f} ms   p95 {p95_of(samples):7.2f} ms"
        f"   queries {queries}"
    )


def console_pages(tenant) -> None:
    from django.test import Client

    from apps.accounts.models import User
    from apps.tenants.models import Membership

    user, _ = User.objects.get_or_create(email="bench-orders@example.com")
    Membership.objects.get_or_create(tenant=tenant, user=user, defaults={"role": "owner"})
    client = Client()
    client.force_login(user)
    base = f"/a/{tenant.slug}/orders/"
    page_timed(client, "list (newest 50)", base)
    page_timed(client, "list status=fulfilled", base + "?status=fulfilled")
    page_timed(client, "search q=shopper42 (prefix)", base + "?q=shopper42")
    page_timed(client, "search q=#4242 (number)", base + "?q=%234242")
    page_timed(client, "customers (first 50)", base + "customers/")
    cursor = deep_customer_cursor(tenant)
    page_timed(client, "customers after 5,000 (keyset)", base + f"customers/?after={cursor}")
    page_timed(client, "customers q=shopper42", base + "customers/?q=shopper42")
    api = f"/api/v1/t/{tenant.slug}/customers/"
    page_timed(client, "API customers (first 25)", api)
    page_timed(client, "API customers q=shopper42", api + "?q=shopper42")
    page_timed(client, "API customers after 5,000", api + f"?cursor={cursor}")


def deep_customer_cursor(tenant, depth: int = 5000) -> str:
    """The keyset after the ``depth``-th customer (what ``next`` links carry that deep)."""
    row = customers.list_customers(tenant=tenant)[depth - 1]
    return customers.encode_customer_cursor(row)


def customer_queries(tenant) -> None:
    """The customer list (one row per email, most recent buyer first) as the console and API read
    it: each email's newest order, then one grouped query for the page's emails."""
    deep = customers.decode_customer_cursor(deep_customer_cursor(tenant))
    timed("customers: newest page", lambda: customers.list_customer_page(tenant=tenant, limit=51))
    timed(
        "customers: q=shopper42 (prefix)", lambda: customers.list_customer_page(tenant=tenant, q="shopper42", limit=51)
    )
    timed("customers: keyset after 5,000", lambda: customers.list_customer_page(tenant=tenant, after=deep, limit=51))
    plan = customers.list_customers(tenant=tenant)._heads()[:51].explain()
    print("  customers plan:\n    " + plan.replace("\n", "\n    "))


def explain_prefix(tenant) -> None:
    qs = selectors.list_orders(tenant=tenant, q="shopper42")[:51]
    plan = qs.explain()
    used = "orders_order_email_prefix_idx" in plan
    print(f"  email-prefix plan uses orders_order_email_prefix_idx: {used}")
    print("    " + plan.replace("\n", "\n    "))


def main() -> None:
    tenant, _ = Tenant.objects.get_or_create(slug="bench-orders", defaults={"name": "Bench orders"})
    started = time.perf_counter()
    count = seed(tenant)
    print(
        f"Orders console bench: {count} orders in tenant {tenant.slug}",
        f"(seed/check {time.perf_counter() - started:.1f} s)",
    )
    print(f"  load average {os.getloadavg()}, {os.cpu_count()} cores, {REPEAT} runs each after a warm-up, one client")
    deep = Order.objects.for_tenant(tenant).order_by("-created_at", "-id")[COUNT // 2]

    def page_after(order):
        # the console view's keyset condition (apps/orders/console_views.py)
        return (
            selectors.list_orders(tenant=tenant)
            .filter(created_at__lte=order.created_at)
            .filter(Q(created_at__lt=order.created_at) | Q(id__lt=order.pk))
        )

    timed("newest page", lambda: selectors.list_orders(tenant=tenant))
    timed(f"keyset page at the middle ({COUNT // 2:,} deep)", lambda: page_after(deep))
    timed("status=cancelled", lambda: selectors.list_orders(tenant=tenant, status="cancelled"))
    timed("payment_status=refunded", lambda: selectors.list_orders(tenant=tenant, payment_status="refunded"))
    timed("q=#4242 (number)", lambda: selectors.list_orders(tenant=tenant, q="#4242"))
    timed(
        "q=shopper42@example.com (whole email)", lambda: selectors.list_orders(tenant=tenant, q="shopper42@example.com")
    )
    timed("q=shopper42 (email prefix)", lambda: selectors.list_orders(tenant=tenant, q="shopper42"))
    start = timezone.now() - timedelta(days=30)
    timed("from = 30 days ago", lambda: selectors.list_orders(tenant=tenant, date_from=start.date()))
    timed(
        "status=returned + q=shopper4 (prefix)",
        lambda: selectors.list_orders(tenant=tenant, status="returned", q="shopper4"),
    )
    customer_queries(tenant)
    explain_prefix(tenant)
    console_pages(tenant)


if __name__ == "__main__":
    main()
