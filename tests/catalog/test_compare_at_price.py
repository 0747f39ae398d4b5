"""A compare-at price must be strictly above the price, else the storefront shows a fake discount."""

from decimal import Decimal

import pytest

from apps.catalog import services
from apps.catalog.models import Product
from apps.core.errors import ApplicationError
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def variant(tenant):
    return make_product(tenant, "Tee", variants=[{"sku": "CA-1", "price": "10"}]).variants.get()


@pytest.mark.parametrize("compare_at", ["9.99", "10", "10.00", "0"])
def test_create_variant_refuses_compare_at_not_above_price(tenant, variant, compare_at):
    with pytest.raises(ApplicationError) as exc:
        services.create_variant(
            tenant=tenant, product=variant.product, data={"sku": "CA-2", "price": "10", "compare_at_price": compare_at}
        )
    assert exc.value.details["compare_at_price"] == [services.COMPARE_AT_MESSAGE]
    assert variant.product.variants.count() == 1


def test_create_variant_accepts_a_real_discount_or_none(tenant, variant):
    made = services.create_variant(
        tenant=tenant, product=variant.product, data={"sku": "CA-2", "price": "10", "compare_at_price": "12.50"}
    )
    assert made.compare_at_price == Decimal("12.50")
    blank = services.create_variant(
        tenant=tenant, product=variant.product, data={"sku": "CA-3", "price": "10", "compare_at_price": ""}
    )
    assert blank.compare_at_price is None


def test_update_checks_against_the_stored_price_and_compare_at(tenant, variant):
    with pytest.raises(ApplicationError) as exc:
        services.update_variant(tenant=tenant, variant=variant, data={"compare_at_price": "8"})
    assert "compare_at_price" in exc.value.details
    services.update_variant(tenant=tenant, variant=variant, data={"compare_at_price": "15"})
    with pytest.raises(ApplicationError) as exc:
        services.update_variant(tenant=tenant, variant=variant, data={"price": "20"})
    assert "compare_at_price" in exc.value.details
    variant.refresh_from_db()
    assert (variant.price, variant.compare_at_price) == (Decimal("10.00"), Decimal("15.00"))


def test_api_patch_reports_compare_at_as_field_error(client, tenant, make_member, variant):
    client.force_login(make_member(tenant, "editor"))
    url = f"/api/v1/t/{tenant.slug}/catalog/products/{variant.product_id}/variants/{variant.pk}/"
    response = client.patch(url, {"compare_at_price": "5"}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["compare_at_price"] == [services.COMPARE_AT_MESSAGE]
    variant.refresh_from_db()
    assert variant.compare_at_price is None


def test_api_create_product_reports_compare_at_per_variant(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    body = {"name": "Fake Sale", "variants": [{"sku": "FS-1", "price": "20", "compare_at_price": "19"}]}
    response = client.post(f"/api/v1/t/{tenant.slug}/catalog/products/", body, content_type="application/json")
    assert response.status_code == 400
    assert "compare_at_price" in response.json()["error"]["details"]["variants[0]"]
    assert not Product.objects.for_tenant(tenant).filter(name="Fake Sale").exists()


def test_console_variant_form_shows_the_error(client, tenant, make_member, variant):
    client.force_login(make_member(tenant, "editor"))
    url = f"/a/{tenant.slug}/catalog/products/{variant.product_id}/variants/{variant.pk}/"
    data = {"sku": "CA-1", "price": "10", "compare_at_price": "9", "stock": 1, "low_stock_threshold": 2}
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert "Must be higher than the price" in response.content.decode()
    variant.refresh_from_db()
    assert variant.compare_at_price is None


def test_csv_import_reports_compare_at_not_above_price_per_row(tenant):
    from apps.catalog import importer

    data = b"sku,name,price,compare_at_price\nDISC-1,Real discount,10.00,12.00\nFAKE-1,Fake discount,10.00,8.00\n"
    result = importer.import_rows(tenant=tenant, data=data, mode="skip")
    assert result.created == 1
    assert [(e.row, e.column) for e in result.errors] == [(3, "compare_at_price")]
