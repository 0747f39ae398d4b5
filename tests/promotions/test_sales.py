"""Automatic sales: the storefront shows the sale price with the old one struck, carts and
checkout charge it, and a sale starting or ending changes the *cached* storefront pages at that
moment through the beat job (``promotions.announce_sales`` bumps the catalog version)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.orders import selectors as order_selectors
from apps.orders import services as order_services
from apps.promotions.models import Sale
from apps.promotions.sales import announce_sale_changes
from apps.promotions.tasks import announce_sales
from tests.catalog.factories import make_category, make_product
from tests.promotions.conftest import make_sale, ready_cart

pytestmark = pytest.mark.django_db


def _home(client, tenant) -> str:
    return client.get(reverse("storefront:home", args=[tenant.slug])).content.decode()


def _product_page(client, tenant, slug) -> str:
    return client.get(reverse("storefront:product", args=[tenant.slug, slug])).content.decode()


def test_a_running_sale_is_shown_struck_and_charged(client, tenant, shop):
    shoes = make_category(tenant, "Shoes")
    running = make_category(tenant, "Running", parent=shoes)
    shoe = make_product(tenant, "Trail Shoe", category=running, price="80.00", slug="trail-shoe")
    make_product(tenant, "Kettle", price="30.00", slug="kettle")
    with TestCase.captureOnCommitCallbacks(execute=True):
        make_sale(tenant, category=shoes, percentage="25")  # the subcategory's products too

    page = _product_page(client, tenant, "trail-shoe")
    assert "€60.00" in page and "<del" in page and "€80.00" in page
    home = _home(client, tenant)
    assert "€60.00" in home and "Sale" in home and "€30.00" in home  # the kettle is not on sale

    variant = shoe.variants.get()
    cart = ready_cart(tenant, shop, [(variant, 2)])
    review = order_selectors.review_cart(tenant=tenant, cart=cart)
    assert review.lines[0].unit_price == Decimal("60.00") and review.totals.subtotal == Decimal("120.00")
    order = order_services.place_order(tenant=tenant, cart=cart).order
    assert order.lines.get().unit_price == Decimal("60.00") and order.subtotal == Decimal("120.00")


def test_a_sale_starting_after_the_item_was_added_asks_to_accept_the_new_price(tenant, shop):
    product = make_product(tenant, "Mug", price="10.00")
    cart = ready_cart(tenant, shop, [(product.variants.get(), 1)])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the sale's version bump runs on commit
        make_sale(tenant, products=[product], percentage="50")

    review = order_selectors.review_cart(tenant=tenant, cart=cart)
    assert review.lines[0].problems == ["price_changed"] and review.lines[0].current_price == Decimal("5.00")
    with pytest.raises(ApplicationError) as err:
        order_services.place_order(tenant=tenant, cart=cart)
    assert err.value.code == "price_changed"
    order_services.accept_cart_prices(tenant=tenant, cart=cart)
    assert order_services.place_order(tenant=tenant, cart=cart).order.subtotal == Decimal("5.00")


def test_the_cached_page_changes_when_the_sale_starts_and_ends_by_the_beat_job(client, tenant):
    make_product(tenant, "Lamp", price="40.00", slug="lamp")
    lamp = make_product(tenant, "Desk Lamp", price="50.00", slug="desk-lamp")
    with TestCase.captureOnCommitCallbacks(execute=True):
        sale = make_sale(tenant, products=[lamp], percentage="10", starts_in=3600, lasts=3600)
    assert "€45.00" not in _home(client, tenant)  # not started: the page is cached without it

    # The start time arrives (moved in the database: no service call, no bump of its own).
    start = timezone.now() - timedelta(seconds=1)
    Sale.objects.for_tenant(tenant).filter(pk=sale.pk).update(starts_at=start, ends_at=start + timedelta(hours=1))
    assert "€45.00" not in _home(client, tenant)  # still the cached page: nothing told it yet
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert announce_sale_changes() == 1  # the beat job: the start is announced once
    assert "€45.00" in _home(client, tenant) and "€45.00" in _product_page(client, tenant, "desk-lamp")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert announce_sale_changes() == 0  # idempotent

    Sale.objects.for_tenant(tenant).filter(pk=sale.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert "€45.00" in _home(client, tenant)  # cached until the job runs
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert announce_sales() == 1  # the task the beat schedule runs
    home = _home(client, tenant)
    assert "€45.00" not in home and "€50.00" in home


def test_the_beat_schedule_runs_the_job_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["promotions-announce-sales"]
    assert entry["task"] == "promotions.announce_sales" and entry["schedule"] <= 60


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"percentage": "100"}, "percentage"),
        ({"percentage": "0"}, "percentage"),
        ({"percentage": "ten"}, "percentage"),
        ({"ends_at": "2020-01-01T00:00"}, "ends_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"products": []}, "products"),  # neither a category nor products
        ({"products": ["NO-SUCH-SKU"]}, "products"),
        ({"category": 987654}, "category"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_sale_input_says_which_field_and_writes_nothing(tenant, data, field):
    from apps.promotions import services

    product = make_product(tenant, "Mug")
    now = timezone.now()
    base = {
        "name": "X",
        "percentage": "10",
        "products": [str(product.pk)],
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
    }
    with pytest.raises(ApplicationError) as err:
        services.create_sale(tenant=tenant, data={**base, **data})
    assert err.value.code == "validation_error" and field in err.value.details
    assert not Sale.objects.for_tenant(tenant).exists()
