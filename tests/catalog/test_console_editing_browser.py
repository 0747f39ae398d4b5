"""Issue 13, item 9, in a real Chromium at 1280 and 390 px: an editor defines Size × Colour, the
matrix generates the variants, prices typed with a decimal comma are saved from the grid; images
are dragged into a new order (and moved with the arrows), and the order holds after a reload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.catalog import images
from apps.catalog.models import ProductImage, Variant
from tests.browser_helpers import login_as, watch_csp
from tests.catalog.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), colour).save(buffer, "PNG")
    return SimpleUploadedFile(f"{colour}.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize("width", [1280, 390])
def test_editor_generates_and_saves_a_variant_matrix(page, tenant, make_member, width):
    page.set_viewport_size({"width": width, "height": 900})
    product = make_product(tenant, "Linen Shirt", variants=[{"sku": "SHIRT", "price": "30.00", "stock": 2}])
    login_as(page, make_member(tenant, "editor"))
    violations = watch_csp(page)
    page.goto(f"{page.base_url}/a/{tenant.slug}/catalog/products/{product.pk}/")
    page.locator("a", has_text="Options and variant matrix").click()
    page.fill("#option_0_name", "Size")
    page.fill("#option_0_values", "S, M, L")
    page.fill("#option_1_name", "Colour")
    page.fill("#option_1_values", "white, navy")
    page.locator("button[value=generate]").click()
    rows = page.locator(".matrix-grid tbody tr[data-row]")
    assert rows.count() == 6
    assert page.locator(".matrix-grid tbody th").all_inner_texts()[:2] == ["S / white", "S / navy new"]
    page.get_by_label("Price of L / navy").fill("34,90")
    page.get_by_label("Stock of L / navy").fill("7")
    page.get_by_label("Save M / white").uncheck()
    page.locator("button[value=save]").click()
    page.wait_for_selector("text=Variants saved: 4 added, 1 updated.")
    variants = {v.sku: v for v in Variant.objects.for_tenant(tenant).filter(product=product)}
    assert "SHIRT-M-WHITE" not in variants and len(variants) == 5
    assert str(variants["SHIRT-L-NAVY"].price) == "34.90" and variants["SHIRT-L-NAVY"].stock == 7
    assert variants["SHIRT-S-WHITE"].options == {"size": "S", "colour": "white"}  # the lone variant, reused
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert violations == []


def test_editor_reorders_images_by_drag_and_arrows(page, tenant, make_member):
    product = make_product(tenant, "Lamp")
    for colour in ("red", "green", "blue"):
        images.add_product_image(tenant=tenant, product=product, upload=png(colour), alt=colour)
    login_as(page, make_member(tenant, "editor"))
    url = f"{page.base_url}/a/{tenant.slug}/catalog/products/{product.pk}/"
    page.goto(url)

    def shown():
        return page.locator(".image-list img").evaluate_all("els => els.map(e => e.alt)")

    assert shown() == ["red", "green", "blue"]
    # a person scrolls to the images first; the mouse only reaches what is on screen
    page.evaluate("document.getElementById('images-h').scrollIntoView({block: 'start'})")
    source = page.locator(".image-item[data-image-id] img").nth(2).bounding_box()
    target = page.locator(".image-item[data-image-id]").nth(0).bounding_box()
    page.mouse.move(source["x"] + 10, source["y"] + 10)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 8, steps=8)
    page.mouse.up()
    page.wait_for_selector("[data-image-order][data-saved=yes]")
    assert page.locator("#image-order-status").inner_text() == "Image order saved."
    saved = list(ProductImage.objects.for_tenant(tenant).filter(product=product).values_list("alt", flat=True))
    assert saved == ["blue", "red", "green"]
    page.reload()
    assert shown() == ["blue", "red", "green"]
    page.get_by_label("Move image 3 earlier").click()
    page.wait_for_selector("text=Image order saved.")
    assert shown() == ["blue", "green", "red"]
    page.fill("#alt-" + str(product.images.get(alt="red").pk), "A red lamp")
    page.locator(".image-item", has=page.locator("img[alt=red]")).get_by_role("button", name="Save alt text").click()
    assert "A red lamp" in shown()
