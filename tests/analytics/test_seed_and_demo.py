"""seed_events (COPY) and the demo loader; the demo also works on SQLite (checked in a subprocess)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.analytics import demo, event_store, selectors
from apps.analytics.models import HourlyRollup
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_seed_events_loads_and_rolls_up(tenant, capsys):
    call_command("seed_events", tenant=tenant.slug, events=2000, days=3, chunk=500)
    assert event_store.count_events(tenant_id=tenant.pk) == 2000
    out = capsys.readouterr().out
    assert "loaded 2,000 events" in out
    rng = selectors.resolve_range(tenant=tenant, period="7d")
    totals = selectors.summary(tenant=tenant, rng=rng)
    assert totals["pageviews"] > 500 and totals["visitors"] > 100 and totals["searches"] > 0
    assert HourlyRollup.objects.for_tenant(tenant).count() >= 48


def test_seed_events_bad_input(tenant):
    with pytest.raises(CommandError):
        call_command("seed_events", tenant="no-such-shop", events=10)
    with pytest.raises(CommandError):
        call_command("seed_events", tenant=tenant.slug, events=0)


def test_demo_traffic_uses_the_catalog_and_is_repeatable(tenant):
    product = make_product(tenant, name="Demo Lamp")
    assert demo.load_demo_traffic(tenant=tenant, days=3, events=400) == 400
    assert demo.load_demo_traffic(tenant=tenant, days=3, events=400) == 400  # replaces, not adds
    assert event_store.count_events(tenant_id=tenant.pk) == 400
    rng = selectors.resolve_range(tenant=tenant, period="7d")
    top = selectors.top(tenant=tenant, rng=rng, dimension="product")
    assert top and top[0]["label"] == "Demo Lamp" and top[0]["key"] == str(product.pk)


def test_demo_traffic_on_sqlite(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from tests.factories import TenantFactory\n"
        "from apps.analytics import demo, selectors\n"
        "t = TenantFactory()\n"
        "n = demo.load_demo_traffic(tenant=t, days=2, events=300)\n"
        "s = selectors.summary(tenant=t, rng=selectors.resolve_range(tenant=t, period='7d'))\n"
        "print(n, s['pageviews'] > 0)\n"
        "import json, uuid\n"
        "from datetime import datetime, timezone\n"
        "from django.test import Client\n"
        "from apps.analytics import services, rollups, event_store\n"
        "t = TenantFactory()\n"
        "key = services.get_or_create_settings(tenant=t).ingest_key\n"
        "now = datetime.now(tz=timezone.utc).isoformat()\n"
        "ev = [{'event_id': str(uuid.uuid4()), 'type': 'search', 'occurred_at': now,\n"
        "       'query': 'x', 'results_count': 0}]\n"
        "body = json.dumps({'key': key, 'sent_at': now, 'events': ev + ev})\n"
        "ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36'\n"
        "r = Client().post(f'/api/v1/t/{t.slug}/analytics/events', body,\n"
        "                  content_type='text/plain', HTTP_USER_AGENT=ua)\n"
        "rollups.rebuild_dirty()\n"
        "z = selectors.summary(tenant=t, rng=selectors.resolve_range(tenant=t, period='today'))\n"
        "print(r.status_code, r.json()['accepted'], r.json()['duplicates'], z['zero_result_searches'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local"
        if (ROOT / "config/settings/local.py").exists()
        else "config.settings.base",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert lines[-2] == "300 True"
    assert lines[-1] == "202 1 1 1"  # ingested without Redis (written directly), duplicate skipped, rolled up


def test_demo_traffic_has_commerce_events_for_the_cards(tenant):
    from decimal import Decimal

    from apps.analytics import commerce

    product = make_product(tenant, name="Demo Lamp", price="24.00")
    demo.load_demo_traffic(tenant=tenant, days=3, events=3000)
    rng = selectors.resolve_range(tenant=tenant, period="7d")
    totals = commerce.commerce_totals(tenant=tenant, rng=rng)
    steps = {step["step"]: step["count"] for step in commerce.funnel(tenant=tenant, rng=rng)}
    assert steps["product_view"] > steps["add_to_cart"] > steps["checkout_started"] >= steps["purchase"] > 0
    assert totals["orders"] == steps["purchase"] and totals["revenue"] > 0 and totals["conversion_rate"] > 0
    # every order is of the one product, at its catalog price: revenue = units x 24.00
    assert totals["revenue"] == totals["units"] * Decimal("24.00")
    (sales,) = commerce.product_sales(tenant=tenant, rng=rng)
    assert sales["key"] == str(product.pk) and sales["label"] == "Demo Lamp" and sales["units"] == totals["units"]
    assert {row["code"] for row in commerce.voucher_use(tenant=tenant, rng=rng)} <= {"WINTER10", "WELCOME5"}


def test_demo_traffic_includes_the_shops_orders(tenant):
    from datetime import timedelta

    from django.utils import timezone

    from apps.analytics import commerce
    from apps.orders import services as order_services
    from apps.orders.hooks import register_payment_method, unregister_payment_method
    from apps.orders.models import Order
    from tests.orders.conftest import TEST_METHOD, ready_cart, setup_shop
    from tests.orders.conftest import make_variant as make_order_variant

    register_payment_method(TEST_METHOD)
    try:
        method = setup_shop(tenant)
        order = order_services.place_order(
            tenant=tenant, cart=ready_cart(tenant, method, [(make_order_variant(tenant, price="20.00"), 1)])
        ).order
    finally:
        unregister_payment_method(TEST_METHOD.code)
    Order.objects.for_tenant(tenant).filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=20))

    assert demo.load_demo_traffic(tenant=tenant, days=3, events=300) == 301  # 300 sample events + the order
    rng = selectors.resolve_range(tenant=tenant, period="30d")
    before = selectors.resolve_range(tenant=tenant, period="7d")
    totals = commerce.commerce_totals(tenant=tenant, rng=rng)
    recent = commerce.commerce_totals(tenant=tenant, rng=before)
    # the order counts on its own (backdated) day: in 30 days, not in the last 7
    assert totals["orders"] == recent["orders"] + 1
    assert totals["revenue"] - recent["revenue"] == order.total


def test_demo_traffic_takes_the_shops_cancelled_orders_back_out(tenant):
    from datetime import timedelta

    from django.utils import timezone

    from apps.analytics import commerce
    from apps.orders import services as order_services
    from apps.orders.hooks import register_payment_method, unregister_payment_method
    from apps.orders.models import Order
    from tests.orders.conftest import TEST_METHOD, ready_cart, setup_shop
    from tests.orders.conftest import make_variant as make_order_variant

    register_payment_method(TEST_METHOD)
    try:
        method = setup_shop(tenant)
        kept, gone = (
            order_services.place_order(
                tenant=tenant, cart=ready_cart(tenant, method, [(make_order_variant(tenant, name=name), 1)])
            ).order
            for name in ("Kept", "Gone")
        )
        order_services.cancel_order(tenant=tenant, order_id=gone.pk)
    finally:
        unregister_payment_method(TEST_METHOD.code)
    Order.objects.for_tenant(tenant).update(created_at=timezone.now() - timedelta(days=20))

    assert demo.load_demo_traffic(tenant=tenant, days=3, events=300) == 303  # + 2 purchases, 1 cancellation
    totals = commerce.commerce_totals(tenant=tenant, rng=selectors.resolve_range(tenant=tenant, period="30d"))
    recent = commerce.commerce_totals(tenant=tenant, rng=selectors.resolve_range(tenant=tenant, period="7d"))
    assert totals["orders"] == recent["orders"] + 1  # the kept order only
    assert totals["revenue"] - recent["revenue"] == kept.total
