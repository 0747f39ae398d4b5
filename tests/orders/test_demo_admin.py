"""The demo shop sells (past orders in several states, idempotent) and the admin is read-only."""

import pytest
from django.contrib import admin

from apps.catalog import selectors as catalog_selectors
from apps.orders.demo import load_demo_orders, load_demo_selling
from apps.orders.models import Order
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def test_demo_selling_and_past_orders(tenant):
    for n in range(8):
        make_product(tenant, name=f"Demo {n}", stock=10)
    load_demo_selling(tenant=tenant)
    ids = catalog_selectors.list_sellable_variant_ids(tenant=tenant, limit=12, min_available=3)
    assert load_demo_orders(tenant=tenant, variant_ids=ids) == 5
    assert load_demo_orders(tenant=tenant, variant_ids=ids) == 5  # idempotent
    assert load_demo_selling(tenant=tenant)["zones"] == 2
    states = set(Order.objects.for_tenant(tenant).values_list("status", "payment_status"))
    assert {
        ("fulfilled", "paid"),
        ("unfulfilled", "paid"),
        ("cancelled", "unpaid"),
        ("unfulfilled", "unpaid"),
    } <= states


def test_admin_keeps_order_history_read_only(rf):
    request = rf.get("/admin/")
    for model in (Order,):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
