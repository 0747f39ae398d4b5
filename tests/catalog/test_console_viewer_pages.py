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
    return {
        "new-product": f"{base}products/new",
        "variant": f"{base}products/{product.pk}/variants/{variant.pk}/",
        "category": f"{base}categories/{category.pk}/",
        "import": f"{base}import/",
    }


CONTROLS = [">Save<", ">Add variant<", ">Upload<", "Delete this product", "Import &amp; export"]


@pytest.mark.parametrize("page", ["new-product", "variant", "category", "import"])
@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("editor", 200)], ids=["viewer", "editor"])
def test_viewer_gets_403_on_editing_pages_editor_gets_200(client, tenant, make_member, world, role, status, page):
    client.force_login(make_member(tenant, role))
    url = editing_pages(tenant, world)[page]
    assert client.get(url).status_code == status, url


def test_viewer_reads_product_page_without_edit_controls(client, tenant, make_member, world):
    product = world["product"]
    url = f"/a/{tenant.slug}/catalog/products/{product.pk}/"
    client.force_login(make_member(tenant, "viewer"))
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lamp" in body and "LAMP-1" in body
    assert f"/variants/{world['variant'].pk}/" not in body  # no link to the (403) variant editor
    assert response.context["form"].fields["name"].disabled
    assert 'name="name"' in body and "disabled" in body
    assert client.post(url, {"name": "Hacked", "slug": "lamp", "status": "draft"}).status_code == 403


@pytest.mark.parametrize("control", CONTROLS, ids=["save", "add-variant", "upload", "delete", "import-export"])
@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("editor", True)], ids=["viewer", "editor"])
def test_product_page_shows_the_edit_control_to_editors_only(client, tenant, make_member, world, role, shown, control):
    client.force_login(make_member(tenant, role))
    body = client.get(f"/a/{tenant.slug}/catalog/products/{world['product'].pk}/").content.decode()
    assert (control in body) is shown, control


def test_editor_gets_an_enabled_product_form(client, tenant, make_member, world):
    product = world["product"]
    client.force_login(make_member(tenant, "editor"))
    response = client.get(f"/a/{tenant.slug}/catalog/products/{product.pk}/")
    assert not response.context["form"].fields["name"].disabled


def test_viewer_list_has_no_import_link_or_new_product_action(client, tenant, make_member):
    client.force_login(make_member(tenant, "viewer"))
    body = client.get(f"/a/{tenant.slug}/catalog/").content.decode()
    assert "Import &amp; export" not in body and "New product" not in body
