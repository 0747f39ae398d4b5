"""Issue 13, item 9: product images in the console — added while creating the product, reordered
by arrows (or the whole order at once, as drag and drop sends it), alt text edited, roles checked."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.catalog import images
from apps.catalog.models import Product, ProductImage
from apps.core.errors import ApplicationError
from tests.catalog.factories import make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def png(name="p.png", colour="red", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def base(tenant, product):
    return f"/a/{tenant.slug}/catalog/products/{product.pk}/images/"


def order(product):
    return list(ProductImage.objects.for_tenant(product.tenant).filter(product=product).values_list("alt", flat=True))


@pytest.fixture
def editor(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


@pytest.fixture
def product_with_images(tenant):
    product = make_product(tenant, "Lamp")
    for alt in ("one", "two", "three"):
        images.add_product_image(tenant=tenant, product=product, upload=png(), alt=alt)
    return product


def test_create_with_an_image(editor, tenant):
    response = editor.post(
        f"/a/{tenant.slug}/catalog/products/new",
        {
            "name": "Kettle",
            "sku": "K-1",
            "price": "20",
            "stock": "1",
            "status": "draft",
            "image": png(),
            "image_alt": "A red kettle",
        },
    )
    assert response.status_code == 302
    product = Product.objects.for_tenant(tenant).get()
    image = product.images.get()
    assert (image.alt, image.width, image.height, image.position) == ("A red kettle", 40, 30, 0)


def test_create_with_a_bad_image_creates_nothing(editor, tenant):
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = editor.post(
        f"/a/{tenant.slug}/catalog/products/new",
        {"name": "Kettle", "sku": "K-1", "price": "20", "stock": "1", "status": "draft", "image": bad},
    )
    assert response.status_code == 200
    assert "not an image we can read" in response.content.decode()
    assert Product.objects.for_tenant(tenant).count() == 0


def test_move_with_arrows_and_ends(editor, tenant, product_with_images):
    product = product_with_images
    ids = {i.alt: i.pk for i in product.images.all()}
    assert editor.post(f"{base(tenant, product)}{ids['three']}/move", {"direction": "up"}).status_code == 302
    assert order(product) == ["one", "three", "two"]
    editor.post(f"{base(tenant, product)}{ids['one']}/move", {"direction": "up"})  # already first
    assert order(product) == ["one", "three", "two"]
    editor.post(f"{base(tenant, product)}{ids['one']}/move", {"direction": "down"})
    assert order(product) == ["three", "one", "two"]


def test_whole_order_as_drag_and_drop_sends_it(editor, tenant, product_with_images):
    product = product_with_images
    ids = {i.alt: i.pk for i in product.images.all()}
    new = f"{ids['two']},{ids['three']},{ids['one']}"
    response = editor.post(f"{base(tenant, product)}order", {"order": new}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert order(product) == ["two", "three", "one"]


@pytest.mark.parametrize(
    "bad",
    [["two", "three"], ["two", "two", "one"], ["two", "three", "one", "foreign"]],
    ids=["one-missing", "one-twice", "a-foreign-image"],
)
def test_an_order_that_is_not_exactly_the_products_images_changes_nothing(editor, tenant, product_with_images, bad):
    product = product_with_images
    ids = {i.alt: i.pk for i in product.images.all()}
    new = f"{ids['two']},{ids['three']},{ids['one']}"
    response = editor.post(f"{base(tenant, product)}order", {"order": new}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    other = make_product(tenant, "Other")
    ids["foreign"] = images.add_product_image(tenant=tenant, product=other, upload=png(), alt="x").pk
    order_value = ",".join(str(ids[alt]) for alt in bad)
    response = editor.post(f"{base(tenant, product)}order", {"order": order_value}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400
    assert order(product) == ["two", "three", "one"]


def test_alt_text(editor, tenant, product_with_images):
    product = product_with_images
    image = product.images.first()
    editor.post(f"{base(tenant, product)}{image.pk}/alt", {"alt": "  Brass lamp, lit  "})
    image.refresh_from_db()
    assert image.alt == "Brass lamp, lit"
    editor.post(f"{base(tenant, product)}{image.pk}/alt", {"alt": "x" * 201})
    image.refresh_from_db()
    assert image.alt == "Brass lamp, lit"
    body = editor.get(f"/a/{tenant.slug}/catalog/products/{product.pk}/").content.decode()
    assert 'value="Brass lamp, lit"' in body and "data-image-order" in body


def test_roles_and_tenants(client, tenant, make_member, product_with_images):
    product = product_with_images
    image = product.images.first()
    client.force_login(make_member(tenant, "viewer"))
    assert client.post(f"{base(tenant, product)}{image.pk}/move", {"direction": "down"}).status_code == 403
    assert client.post(f"{base(tenant, product)}order", {"order": ""}).status_code == 403
    assert client.post(f"{base(tenant, product)}{image.pk}/alt", {"alt": "x"}).status_code == 403
    assert "data-image-order" not in client.get(f"/a/{tenant.slug}/catalog/products/{product.pk}/").content.decode()
    other = TenantFactory()
    client.force_login(make_member(other, "owner"))
    assert client.post(f"/a/{other.slug}/catalog/products/{product.pk}/images/order", {"order": ""}).status_code == 404
    with pytest.raises(ApplicationError):
        images.set_image_order(tenant=other, product=product, image_ids=[])
