"""Issue 13: the demo looks like a shop: every demo product gets a picture drawn locally with
Pillow (its colour, its kind, its name), stored and thumbnailed like an upload, so the cards show
``srcset`` and lazy loading."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from apps.catalog.demo import load_demo_catalog
from apps.catalog.demo_images import COLOURS, draw_product_image, product_kind
from apps.catalog.models import ProductImage

pytestmark = pytest.mark.django_db


def test_drawing_uses_the_colour_and_the_kind():
    picture = Image.open(io.BytesIO(draw_product_image(name="Classic Cotton T-Shirt", colour="red")))
    assert picture.format == "PNG" and picture.size == (640, 640)
    assert picture.convert("RGB").getpixel((320, 300)) == COLOURS["red"]  # the shirt's body
    assert product_kind("Rugged Leather Hiking Boot") == "shoe"
    assert product_kind("Eco Ceramic Coffee Mug") == "mug"
    assert product_kind("Wireless Headphones") == "box"
    other = draw_product_image(name="Classic Cotton T-Shirt", colour="navy")
    assert Image.open(io.BytesIO(other)).convert("RGB").getpixel((320, 300)) == COLOURS["navy"]


def test_demo_products_get_pictures_once_and_cards_show_them(client, tenant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox dispatches after commit
        assert load_demo_catalog(tenant=tenant, products=4) == 4
    images = ProductImage.objects.for_tenant(tenant)
    assert images.count() == 4
    assert all(image.thumbnails for image in images)  # made by the task (eager in tests)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_catalog(tenant=tenant, products=4)
    assert images.count() == 4  # idempotent
    html = client.get(reverse("storefront:home", args=[tenant.slug])).content.decode()
    cards = re.findall(r'<li class="product-card">.*?</li>', html, re.S)
    assert len(cards) == 4
    for card in cards:
        assert re.search(r'<img src="[^"]+\.webp" srcset="[^"]+ 160w, [^"]+ 320w"', card)
        assert 'loading="lazy"' in card and 'width="640" height="640"' in card
    src = re.search(r'<img src="([^"]+)"', cards[0]).group(1)
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
