"""Staff edits in the Django admin take effect on the storefront at once: the cache version is
bumped and the price/stock summaries are recomputed, exactly as the catalog services do."""

import pytest
from django.test import Client

from apps.catalog.models import Product, Variant
from tests.catalog.admin_helpers import form_data
from tests.catalog.factories import make_product
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def shopper():
    """An anonymous visitor: the storefront's cached pages are what they see."""
    return Client()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_unpublishing_in_the_admin_removes_a_cached_product_page(staff, shopper, tenant, run_on_commit):
    product = make_product(tenant, "Takedown Lamp")
    page = f"/s/{tenant.slug}/p/{product.slug}/"
    assert shopper.get(page).status_code == 200  # now cached
    url = f"/admin/catalog/product/{product.pk}/change/"
    data = form_data(staff.get(url))
    data["status"] = "archived"

    with run_on_commit():
        assert staff.post(url, data).status_code == 302

    assert shopper.get(page).status_code == 404


def test_deleting_in_the_admin_removes_a_cached_product_page(staff, shopper, tenant, run_on_commit):
    product = make_product(tenant, "Deleted Lamp")
    page = f"/s/{tenant.slug}/p/{product.slug}/"
    assert shopper.get(page).status_code == 200
    with run_on_commit():
        response = staff.post(f"/admin/catalog/product/{product.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert shopper.get(page).status_code == 404


def test_a_variant_price_changed_in_the_admin_updates_the_product_summary(staff, tenant, run_on_commit):
    product = make_product(tenant, "Priced Lamp", price="10.00")
    variant = Variant.objects.for_tenant(tenant).get(product=product)
    url = f"/admin/catalog/variant/{variant.pk}/change/"
    data = form_data(staff.get(url))
    data["price"] = "25.50"

    with run_on_commit():
        assert staff.post(url, data).status_code == 302

    product = Product.objects.for_tenant(tenant).get(pk=product.pk)
    assert str(product.price_min) == "25.50" and str(product.price_max) == "25.50"
