"""Orders change stock without flushing the storefront cache: only a variant going out of stock
(or back in) bumps the catalog cache version and the product's summary."""

import pytest

from apps.catalog import cache as catalog_cache
from apps.catalog.models import Product
from apps.orders import services
from tests.orders.conftest import make_variant, ready_cart

pytestmark = pytest.mark.django_db


def test_only_going_out_of_or_back_into_stock_bumps_the_cache(tenant, shop, django_capture_on_commit_callbacks):
    item = make_variant(tenant, stock=3)
    version = catalog_cache.catalog_version(tenant.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(item, 1)]))
    assert catalog_cache.catalog_version(tenant.pk) == version  # 2 left: pages show the same

    with django_capture_on_commit_callbacks(execute=True):
        last = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(item, 2)], email="b@example.com"))
    assert catalog_cache.catalog_version(tenant.pk) == version + 1  # sold out: listings must say so
    assert Product.objects.for_tenant(tenant).get(pk=item.product_id).stock_total == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_order(tenant=tenant, order_id=last.order.pk)
    assert catalog_cache.catalog_version(tenant.pk) == version + 2  # back in stock
    assert Product.objects.for_tenant(tenant).get(pk=item.product_id).stock_total == 2
