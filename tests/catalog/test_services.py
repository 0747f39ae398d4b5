"""apps.catalog.services: one home for the rules (validation.py), PUT replacement, bulk upsert."""

import pytest

from apps.catalog import importer, services, validation
from apps.catalog.models import Product, ProductStatus
from apps.core.errors import Invalid, NotFound
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sku", "bad sku!", validation.SKU_MESSAGE),
        ("slug", "Not A Slug", validation.SLUG_MESSAGE),
        ("status", "live", validation.choose_one_message(validation.STATUSES)),
        ("price", "1e3", validation.PRICE_MESSAGE),
        ("seo_title", "x" * 71, "At most 70 characters."),
    ],
)
def test_a_csv_row_and_a_service_call_fail_with_the_same_message(tenant, field, value, message):
    row = {"sku": "LAMP-1", "name": "Lamp", "price": "10", field: value}
    data = {key: row[key] for key in ("name", "slug", "status", "seo_title") if key in row}
    variant = {key: row[key] for key in ("sku", "price") if key in row}
    with pytest.raises(Invalid) as caught:
        services.create_product(tenant=tenant, data=data, variants=[variant])
    details = caught.value.details
    found = details.get(field) or details["variants[0]"][field]
    assert found == [message]
    header = ",".join(row)
    result = importer.import_rows(tenant=tenant, data=f"{header}\n{','.join(row.values())}\n".encode(), mode="skip")
    assert [(error.column, error.message) for error in result.errors] == [(field, message)]
    assert not Product.objects.for_tenant(tenant).exists()


def test_replace_product_resets_what_the_body_leaves_out(tenant):
    category = make_category(tenant, "Lamps")
    product = make_product(tenant, "Desk Lamp", category=category, attributes={"colour": "red"}, description="Bright")
    services.replace_product(tenant=tenant, product=product, data={"name": "Floor Lamp"})
    product.refresh_from_db()
    assert product.name == "Floor Lamp"
    assert (product.description, product.category_id, product.attributes) == ("", None, {})
    assert product.status == ProductStatus.DRAFT


def test_update_product_changes_only_what_is_given(tenant):
    product = make_product(tenant, "Desk Lamp", description="Bright")
    services.update_product(tenant=tenant, product=product, data={"name": "Floor Lamp"})
    product.refresh_from_db()
    assert (product.name, product.description) == ("Floor Lamp", "Bright")


def test_upsert_products_reports_each_item_and_a_bad_one_writes_nothing(tenant):
    existing = make_product(tenant, "Desk Lamp", slug="desk-lamp")
    results = services.upsert_products(
        tenant=tenant,
        items=[
            {"name": "Desk Lamp", "slug": "desk-lamp", "variants": [{"sku": "DESK-2", "price": "12"}]},
            {"name": "Bad", "variants": [{"sku": "bad sku!", "price": "1"}]},
            {"name": "Floor Lamp", "variants": [{"sku": "FLOOR-1", "price": "30"}]},
        ],
    )
    assert [r["status"] for r in results] == ["updated", "error", "created"]
    assert results[0]["id"] == existing.pk
    assert results[1]["error"]["code"] == "validation_error"
    assert results[1]["error"]["details"] == {"variants[0]": {"sku": [validation.SKU_MESSAGE]}}
    assert not Product.objects.for_tenant(tenant).filter(name="Bad").exists()
    assert Product.objects.for_tenant(tenant).count() == 2


def test_another_tenants_product_is_not_found(tenant):
    product = make_product(TenantFactory(), "Theirs")
    with pytest.raises(NotFound):
        services.update_product(tenant=tenant, product=product, data={"name": "Mine"})
