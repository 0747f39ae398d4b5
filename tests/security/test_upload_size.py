"""Issue 10 item 11: the API image upload refuses an oversized body by its declared
``Content-Length``, before reading it (and before authentication's CSRF check parses the form), as
the console does; the answer is 413 in the error shape and nothing is stored."""

import io

import pytest
from django.test.client import encode_multipart
from PIL import Image
from rest_framework.test import APIClient

from apps.catalog.models import ProductImage
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db

BOUNDARY = "BoUnDaRyStRiNg"


def small_png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "tiny.png"
    return buffer


def post_declaring(client, url, declared: int):
    body = encode_multipart(BOUNDARY, {"image": small_png(), "alt": "x"})
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}", CONTENT_LENGTH=str(declared)
    )


@pytest.mark.parametrize("authenticate", ["token", "session"])
def test_a_50_mb_declared_upload_is_refused_unread(tenant, make_member, authenticate):
    editor = make_member(tenant, "editor")
    product = make_product(tenant, "Lamp")
    url = f"/api/v1/t/{tenant.slug}/catalog/products/{product.pk}/images/"
    client = APIClient(enforce_csrf_checks=True)
    if authenticate == "token":
        client.force_authenticate(editor)
    else:
        client.force_login(editor)
    response = post_declaring(client, url, 50 * 1024 * 1024)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not ProductImage.objects.for_tenant(tenant).exists()


def test_an_honest_small_upload_still_works(tenant, make_member):
    editor = make_member(tenant, "editor")
    product = make_product(tenant, "Lamp")
    client = APIClient()
    client.force_authenticate(editor)
    url = f"/api/v1/t/{tenant.slug}/catalog/products/{product.pk}/images/"
    body = encode_multipart(BOUNDARY, {"image": small_png()})
    response = client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 201, response.content
