import io

import pytest
from PIL import Image

from apps.catalog.models import Category, Product, ProductStatus
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def base(tenant):
    return f"/a/{tenant.slug}/catalog/"


@pytest.fixture
def editor(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


def test_access_by_role(client, tenant, make_member):
    assert client.get(base(tenant)).status_code == 302  # to login
    client.force_login(make_member(TenantFactory(), "owner"))
    assert client.get(base(tenant)).status_code == 404
    client.force_login(make_member(tenant, "viewer"))
    assert client.get(base(tenant)).status_code == 200
    assert client.post(f"{base(tenant)}products/new", {"name": "x"}).status_code == 403
    client.force_login(make_member(tenant, "analyst"))
    assert client.get(base(tenant)).status_code == 200  # analysts hold catalog.view


def test_list_search_filter_and_queries(editor, tenant, django_assert_max_num_queries):
    for i in range(60):
        make_product(tenant, f"Widget {i:02d}", status="draft" if i % 2 else "published")
    make_product(tenant, "Special Gadget")
    with django_assert_max_num_queries(12):
        body = editor.get(base(tenant)).content.decode()
    assert "61 products" in body and 'rel="next"' in body
    body = editor.get(base(tenant), {"q": "gadgt"}).content.decode()
    assert "Special Gadget" in body and "Widget" not in body
    body = editor.get(base(tenant), {"status": "draft"}).content.decode()
    assert "30 products" in body


def test_create_edit_validation_keeps_input(editor, tenant):
    response = editor.post(
        f"{base(tenant)}products/new",
        {"name": "Kettle <b>x</b>", "sku": "K-1", "price": "-4", "stock": "1", "status": "draft"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Must be zero or more." in body and 'value="Kettle &lt;b&gt;x&lt;/b&gt;"' in body
    assert Product.objects.for_tenant(tenant).count() == 0
    response = editor.post(
        f"{base(tenant)}products/new", {"name": "Kettle", "sku": "K-1", "price": "20", "stock": "1", "status": "draft"}
    )
    assert response.status_code == 302
    product = Product.objects.for_tenant(tenant).get()
    edit_url = f"{base(tenant)}products/{product.pk}/"
    response = editor.post(
        edit_url, {"name": "Kettle 2", "slug": "kettle", "status": "published", "attributes": "color=red"}
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Kettle 2" and product.attributes == {"color": "red"} and product.status == "published"
    response = editor.post(
        edit_url, {"name": "Kettle 3", "slug": "kettle", "status": "published", "attributes": "oops"}
    )
    assert response.status_code == 200 and "key=value" in response.content.decode()


def test_variants_images_delete(editor, tenant, django_capture_on_commit_callbacks):
    product = make_product(tenant, "Tee", variants=[{"sku": "T-1", "price": "5"}])
    url = f"{base(tenant)}products/{product.pk}/"
    assert (
        editor.post(
            url + "variants/new", {"sku": "T-1", "price": "6", "stock": 1, "low_stock_threshold": 2}
        ).status_code
        == 400
    )
    assert (
        editor.post(
            url + "variants/new", {"sku": "T-2", "price": "6", "stock": 1, "low_stock_threshold": 2}
        ).status_code
        == 302
    )
    variant = product.variants.get(sku="T-2")
    assert (
        editor.post(
            url + f"variants/{variant.pk}/", {"sku": "T-2", "price": "7", "stock": 1, "low_stock_threshold": 2}
        ).status_code
        == 302
    )
    variant.refresh_from_db()
    assert str(variant.price) == "7.00"
    assert editor.post(url + f"variants/{variant.pk}/", {"delete": "1"}).status_code == 302
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), "blue").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "a.jpg"
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(url + "images/new", {"image": buffer, "alt": "Blue"}).status_code == 302
    image = product.images.get()
    assert image.thumbnails == {"50": image.thumbnails["50"]}
    fake = io.BytesIO(b"<html>nope</html>")
    fake.name = "b.jpg"
    response = editor.post(url + "images/new", {"image": fake})
    assert response.status_code == 400 and "not an image" in response.content.decode()
    assert editor.post(url + f"images/{image.pk}/delete").status_code == 302
    assert editor.post(url + "delete").status_code == 302
    assert not Product.objects.for_tenant(tenant).exists()


def test_bulk_publish_archive(editor, tenant):
    a = make_product(tenant, "A", status="draft")
    b = make_product(tenant, "B", status="draft")
    other = make_product(TenantFactory(), "Foreign", status="draft")
    editor.post(base(tenant), {"action": "publish", "ids": [a.pk, b.pk, other.pk]})
    assert set(Product.objects.for_tenant(tenant).values_list("status", flat=True)) == {ProductStatus.PUBLISHED}
    other.refresh_from_db()
    assert other.status == "draft"
    editor.post(base(tenant), {"action": "archive", "ids": [a.pk]})
    a.refresh_from_db()
    assert a.status == "archived"
    response = editor.post(base(tenant), {"action": "explode", "ids": [a.pk]}, follow=True)
    assert "Choose an action." in response.content.decode()


def test_categories(editor, tenant):
    assert editor.post(f"{base(tenant)}categories/", {"name": "Home"}).status_code == 302
    home = Category.objects.for_tenant(tenant).get()
    assert editor.post(f"{base(tenant)}categories/", {"name": "Kitchen", "parent": home.pk}).status_code == 302
    kitchen = Category.objects.for_tenant(tenant).get(slug="kitchen")
    assert kitchen.path.startswith(home.path) and kitchen.depth == 1
    response = editor.post(f"{base(tenant)}categories/", {"name": "Home"})
    assert "already uses this slug" in response.content.decode()
    response = editor.post(f"{base(tenant)}categories/{home.pk}/", {"delete": "1"})
    assert "sub-categories first" in response.content.decode()
    response = editor.post(f"{base(tenant)}categories/{kitchen.pk}/", {"name": "Cooking", "slug": "cooking"})
    assert response.status_code == 302
    kitchen.refresh_from_db()
    assert kitchen.depth == 0 and kitchen.parent_id is None


def test_upload_over_limit_is_413(editor, tenant, settings):
    settings.CATALOG_MAX_IMPORT_BYTES = 10
    big = io.BytesIO(b"sku,name,price\n" + b"A,B,1\n" * 20000)
    big.name = "big.csv"
    response = editor.post(f"{base(tenant)}import/", {"file": big, "mode": "skip"})
    assert response.status_code == 413


def test_storefront_shows_category_product(client, tenant):
    shoes = make_category(tenant, "Shoes")
    make_product(tenant, "Runner", category=shoes)
    assert "Runner" in client.get(f"/s/{tenant.slug}/c/shoes/").content.decode()
