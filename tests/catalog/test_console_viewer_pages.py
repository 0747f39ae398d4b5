"""Viewers are not shown edit forms they cannot submit: editing pages refuse them (403) and the
product page they may read hides the edit controls and shows the fields disabled."""

import pytest

from tests.catalog.factories import make_category, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant):
    product = make_product(tenant, "Lamp", variants=[{"sku": "LAMP-1", "price": "5"}])
    return {
        "product": product,
        "variant": product.variants.get(),
        "category": make_category(tenant, "Lights"),
    }


def editing_pages(tenant, world):
    base = f"/a/{tenant.slug}/catalog/"
    product, variant, category = world["product"], world["variant"], world["category"]
    return [
        f"{base}products/new",
        f"{base}products/{product.pk}/variants/{variant.pk}/",
        f"{base}categories/{category.pk}/",
        f"{base}import/",
    ]


def test_viewer_gets_403_on_editing_pages_editor_gets_200(client, tenant, make_member, world):
    client.force_login(make_member(tenant, "viewer"))
    for url in editing_pages(tenant, world):
        assert client.get(url).status_code == 403, url
    client.force_login(make_member(tenant, "editor"))
    for url in editing_pages(tenant, world):
        assert client.get(url).status_code == 200, url


def test_viewer_reads_product_page_without_edit_controls(client, tenant, make_member, world):
    product = world["product"]
    url = f"/a/{tenant.slug}/catalog/products/{product.pk}/"
    client.force_login(make_member(tenant, "viewer"))
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lamp" in body and "LAMP-1" in body
    for control in (">Save<", ">Add variant<", ">Upload<", "Delete this product", "Import &amp; export"):
        assert control not in body, control
    assert f"/variants/{world['variant'].pk}/" not in body  # no link to the (403) variant editor
    assert response.context["form"].fields["name"].disabled
    assert 'name="name"' in body and "disabled" in body
    assert client.post(url, {"name": "Hacked", "slug": "lamp", "status": "draft"}).status_code == 403


def test_editor_sees_product_page_controls(client, tenant, make_member, world):
    product = world["product"]
    client.force_login(make_member(tenant, "editor"))
    response = client.get(f"/a/{tenant.slug}/catalog/products/{product.pk}/")
    body = response.content.decode()
    for control in (">Save<", ">Add variant<", ">Upload<", "Delete this product", "Import &amp; export"):
        assert control in body, control
    assert not response.context["form"].fields["name"].disabled


def test_viewer_list_has_no_import_link_or_new_product_action(client, tenant, make_member):
    client.force_login(make_member(tenant, "viewer"))
    body = client.get(f"/a/{tenant.slug}/catalog/").content.decode()
    assert "Import &amp; export" not in body and "New product" not in body
