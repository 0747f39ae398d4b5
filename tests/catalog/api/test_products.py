import io

import pytest
from PIL import Image

from apps.catalog.models import Product, Variant
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def base(tenant):
    return f"/api/v1/t/{tenant.slug}/catalog"


@pytest.fixture
def editor_client(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


@pytest.fixture
def viewer_client(client, tenant, make_member):
    client.force_login(make_member(tenant, "viewer"))
    return client


def test_list_cursor_pagination_limit_and_queries(editor_client, tenant, django_assert_max_num_queries):
    for i in range(7):
        make_product(tenant, f"Item {i}", status="draft" if i == 0 else "published")
    with django_assert_max_num_queries(8):
        first = editor_client.get(f"{base(tenant)}/products/", {"limit": 3}).json()
    assert len(first["results"]) == 3
    assert first["results"][0]["currency"] == "EUR"
    assert isinstance(first["results"][0]["variants"][0]["price"], str)
    seen = [p["id"] for p in first["results"]]
    nxt = first["next"]
    while nxt:
        page = editor_client.get(nxt).json()
        seen += [p["id"] for p in page["results"]]
        nxt = page["next"]
    assert len(seen) == len(set(seen)) == 7  # members see drafts too
    with django_assert_max_num_queries(8):
        editor_client.get(f"{base(tenant)}/products/", {"limit": 100})
    bad = editor_client.get(f"{base(tenant)}/products/", {"limit": 101})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "validation_error"
    bad = editor_client.get(f"{base(tenant)}/products/", {"price_min": "abc"})
    assert bad.status_code == 400 and "price_min" in bad.json()["error"]["details"]


def test_search_and_ordering(editor_client, tenant):
    make_product(tenant, "Cheap Kettle", price="5.00")
    make_product(tenant, "Dear Kettle", price="50.00")
    make_product(tenant, "Lamp", price="20.00")
    data = editor_client.get(f"{base(tenant)}/products/", {"q": "ketl", "ordering": "-price"}).json()
    assert [p["name"] for p in data["results"]] == ["Dear Kettle", "Cheap Kettle"]
    data = editor_client.get(f"{base(tenant)}/products/", {"q": "kett"}).json()
    assert {p["name"] for p in data["results"]} == {"Dear Kettle", "Cheap Kettle"}


@pytest.mark.parametrize("params", [{"ordering": ""}, {"status": ""}, {"ordering": "-price", "status": "published"}])
def test_ordering_and_status_take_the_schema_enum_as_written(editor_client, tenant, params):
    """The schema's enums include "" (the default)."""
    make_product(tenant, "Kettle")
    response = editor_client.get(f"{base(tenant)}/products/", params)
    assert response.status_code == 200, (params, response.content)
    assert [p["name"] for p in response.json()["results"]] == ["Kettle"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"ordering": " -price"}, "sort"), ({"ordering": "price!"}, "sort"), ({"status": "draft "}, "status")],
)
def test_values_outside_the_enums_are_refused_by_name(editor_client, tenant, params, field):
    """Anything not in the enums, a padded value included, is a 400 naming the parameter
    (schemathesis found `ordering=` undeclared)."""
    response = editor_client.get(f"{base(tenant)}/products/", params)
    assert response.status_code == 400, (params, response.content)
    assert field in response.json()["error"]["details"]


def test_create_retrieve_update_delete(editor_client, tenant):
    category = make_category(tenant, "Shoes")
    payload = {
        "name": "Trail Shoe",
        "status": "published",
        "category": category.pk,
        "attributes": {"color": "red"},
        "variants": [{"sku": "TS-1", "price": "89.90", "stock": 3, "options": {"size": "42"}}],
    }
    response = editor_client.post(f"{base(tenant)}/products/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    product = response.json()
    assert product["slug"] == "trail-shoe" and product["price_min"] == "89.90" and product["category"] == category.pk
    url = f"{base(tenant)}/products/{product['id']}/"
    assert editor_client.get(url).json()["variants"][0]["sku"] == "TS-1"
    patched = editor_client.patch(url, {"name": "Trail Shoe 2"}, content_type="application/json").json()
    assert patched["name"] == "Trail Shoe 2" and patched["slug"] == "trail-shoe"
    put = editor_client.put(url, {"name": "Put Shoe", "slug": "put-shoe"}, content_type="application/json").json()
    assert put["status"] == "draft" and put["category"] is None and put["slug"] == "put-shoe"
    assert editor_client.delete(url).status_code == 204
    assert editor_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "variant,field",
    [
        ({"sku": "X-1", "price": "-1"}, "price"),
        ({"sku": "X-1", "price": "abc"}, "price"),
        ({"sku": "X-1", "price": "1.00", "currency": "USD"}, "currency"),
        ({"sku": "DUP-1", "price": "1.00"}, "sku"),
    ],
)
def test_bad_variant_input_writes_nothing(editor_client, tenant, variant, field):
    make_product(tenant, "Existing", variants=[{"sku": "DUP-1", "price": "1"}])
    before = Product.objects.for_tenant(tenant).count()
    response = editor_client.post(
        f"{base(tenant)}/products/", {"name": "New", "variants": [variant]}, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]["variants[0]"]
    assert Product.objects.for_tenant(tenant).count() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "A", "category": "foreign"}, "category"),
        ({"name": "A", "category": 999999}, "category"),
        ({"name": "A", "description": "x" * 20001}, "description"),
        ({"name": ""}, "name"),
    ],
    ids=["foreign-category", "unknown-category", "description-too-long", "empty-name"],
)
def test_bad_product_input(editor_client, tenant, payload, field):
    other_category = make_category(TenantFactory(), "Foreign")
    if payload.get("category") == "foreign":
        payload = {**payload, "category": other_category.pk}
    response = editor_client.post(f"{base(tenant)}/products/", payload, content_type="application/json")
    assert response.status_code == 400, payload
    assert field in response.json()["error"]["details"], payload
    assert Product.objects.for_tenant(tenant).count() == 0


def test_html_in_name_is_stored_and_returned_as_data(editor_client, tenant):
    response = editor_client.post(
        f"{base(tenant)}/products/",
        {"name": "<img src=x onerror=alert(1)>", "slug": "xss"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["name"] == "<img src=x onerror=alert(1)>"


def test_roles_and_isolation(client, tenant, make_member):
    product = make_product(tenant, "Mine")
    viewer = make_member(tenant, "viewer")
    client.force_login(viewer)
    assert client.get(f"{base(tenant)}/products/{product.pk}/").status_code == 200
    response = client.post(f"{base(tenant)}/products/", {"name": "X"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    outsider_tenant = TenantFactory()
    client.force_login(make_member(outsider_tenant, "owner"))
    assert client.get(f"{base(tenant)}/products/{product.pk}/").status_code == 404
    # an id of another tenant's product through my own tenant is 404 too
    assert client.get(f"{base(outsider_tenant)}/products/{product.pk}/").status_code == 404
    client.logout()
    response = client.get(f"{base(tenant)}/products/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_variants_endpoints(editor_client, tenant):
    product = make_product(tenant, "Tee", variants=[{"sku": "TEE-S", "price": "10"}])
    url = f"{base(tenant)}/products/{product.pk}/variants/"
    created = editor_client.post(url, {"sku": "TEE-M", "price": "12.5", "stock": 2}, content_type="application/json")
    assert created.status_code == 201
    assert [v["sku"] for v in editor_client.get(url).json()] == ["TEE-S", "TEE-M"]
    vid = created.json()["id"]
    patched = editor_client.patch(f"{url}{vid}/", {"price": "-3"}, content_type="application/json")
    assert patched.status_code == 400
    assert editor_client.patch(f"{url}{vid}/", {"stock": 9}, content_type="application/json").json()["stock"] == 9
    assert editor_client.delete(f"{url}{vid}/").status_code == 204
    product.refresh_from_db()
    assert product.price_max == product.price_min


def test_bulk_upsert_results_per_item(editor_client, tenant):
    make_product(tenant, "Old Name", slug="kept", variants=[{"sku": "K-1", "price": "3"}])
    items = [
        {"name": "Brand New", "variants": [{"sku": "BN-1", "price": "9.99"}]},
        {"slug": "kept", "name": "New Name", "variants": [{"sku": "K-1", "price": "4"}, {"sku": "K-2", "price": "5"}]},
        {"name": "Broken", "variants": [{"sku": "BR-1", "price": "-1"}]},
    ]
    response = editor_client.post(f"{base(tenant)}/products/bulk", {"items": items}, content_type="application/json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "updated", "error"]
    assert results[2]["error"]["code"] == "validation_error"
    assert not Product.objects.for_tenant(tenant).filter(name="Broken").exists()
    kept = Product.objects.for_tenant(tenant).get(slug="kept")
    assert kept.name == "New Name" and str(kept.price_max) == "5.00"
    too_many = {"items": [{"name": f"P{i}"} for i in range(501)]}
    response = editor_client.post(f"{base(tenant)}/products/bulk", too_many, content_type="application/json")
    assert response.status_code == 400


def test_categories_endpoints(editor_client, tenant):
    url = f"{base(tenant)}/categories/"
    root = editor_client.post(url, {"name": "Clothing"}, content_type="application/json").json()
    child = editor_client.post(url, {"name": "Shirts", "parent": root["id"]}, content_type="application/json").json()
    assert child["depth"] == 1 and child["path"].startswith(root["path"])
    other = make_category(TenantFactory(), "Foreign")
    bad = editor_client.post(url, {"name": "X", "parent": other.pk}, content_type="application/json")
    assert bad.status_code == 400
    moved = editor_client.patch(f"{url}{child['id']}/", {"parent": None}, content_type="application/json").json()
    assert moved["depth"] == 0
    loop = editor_client.patch(f"{url}{root['id']}/", {"parent": root["id"]}, content_type="application/json")
    assert loop.status_code == 400
    assert editor_client.delete(f"{url}{root['id']}/").status_code == 204


def _png(size=(20, 10)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "x.png"
    return buffer


def test_image_upload_thumbnails_and_bad_files(editor_client, tenant, settings, django_capture_on_commit_callbacks):
    product = make_product(tenant, "Pictured")
    url = f"{base(tenant)}/products/{product.pk}/images/"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"image": _png((400, 200)), "alt": "Red"})
    assert response.status_code == 201, response.content
    data = editor_client.get(url).json()[0]
    assert data["width"] == 400 and "160w" in data["srcset"] and "320w" in data["srcset"]
    served = editor_client.get(data["src"])
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    not_image = io.BytesIO(b"%PDF-1.4 not an image")
    not_image.name = "x.png"
    response = editor_client.post(url, {"image": not_image})
    assert response.status_code == 400 and "image" in response.json()["error"]["details"]
    settings.CATALOG_MAX_IMAGE_PIXELS = 100 * 100
    response = editor_client.post(url, {"image": _png((200, 200))})
    assert response.status_code == 400 and "pixels" in response.json()["error"]["message"]
    settings.CATALOG_MAX_IMAGE_BYTES = 100
    response = editor_client.post(url, {"image": _png((50, 50))})
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
    assert len(editor_client.get(url).json()) == 1


def test_decompression_bomb_refused(editor_client, tenant):
    product = make_product(tenant, "Bomb")
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, "PNG")  # tiny file, 144 Mpx
    bomb.seek(0)
    bomb.name = "bomb.png"
    response = editor_client.post(f"{base(tenant)}/products/{product.pk}/images/", {"image": bomb})
    assert response.status_code == 400
    assert Variant.objects.for_tenant(tenant).count() == 1


def test_public_api_published_only_cached(client, tenant, django_assert_max_num_queries):
    make_product(tenant, "Public Kettle", slug="public-kettle")
    make_product(tenant, "Draft Kettle", slug="draft-kettle", status="draft")
    url = f"{base(tenant)}/public/products/"
    data = client.get(url).json()
    assert [p["name"] for p in data["results"]] == ["Public Kettle"]
    with django_assert_max_num_queries(1):  # the tenant; the page comes from Redis
        assert client.get(url).json() == data
    assert client.get(f"{url}public-kettle/").json()["variants"][0]["price"] == "49.90"
    assert client.get(f"{url}draft-kettle/").status_code == 404
    assert client.get(f"{base(tenant)}/public/categories/").status_code == 200
    assert client.post(url, {}).status_code == 405


@pytest.mark.parametrize(
    "path", ["/catalog/products/bulk", "/catalog/public/products/", "/catalog/products/{id}/images/"]
)
def test_schema_lists_catalog_paths(client, path):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    body = schema.content.decode()
    assert schema.status_code == 200
    assert path in body


@pytest.mark.parametrize("variants", [1, 10])
def test_retrieve_queries_do_not_grow(editor_client, tenant, variants, django_assert_max_num_queries):
    product = make_product(
        tenant, "Many", variants=[{"sku": f"R-{variants}-{i}", "price": "1"} for i in range(variants)]
    )
    with django_assert_max_num_queries(8):
        assert editor_client.get(f"{base(tenant)}/products/{product.pk}/").status_code == 200


def test_image_delete_and_media_isolation(editor_client, client, tenant, django_capture_on_commit_callbacks):
    product = make_product(tenant, "Pictured")
    url = f"{base(tenant)}/products/{product.pk}/images/"
    with django_capture_on_commit_callbacks(execute=True):
        image = editor_client.post(url, {"image": _png((30, 30))}).json()
    other = TenantFactory()
    stolen = image["src"].replace(f"/s/{tenant.slug}/", f"/s/{other.slug}/")
    assert client.get(stolen).status_code == 404  # another shop cannot serve this file
    assert client.get(f"/s/{tenant.slug}/media/catalog/{tenant.pk}/images/../../x").status_code == 404
    assert client.get(image["src"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.delete(f"{url}{image['id']}/").status_code == 204
    assert client.get(image["src"]).status_code == 404
    assert editor_client.delete(f"{url}{image['id']}/").status_code == 404


def test_category_and_variant_retrieve(editor_client, tenant):
    category = make_category(tenant, "Lamps")
    assert editor_client.get(f"{base(tenant)}/categories/{category.pk}/").json()["slug"] == "lamps"
    assert editor_client.get(f"{base(tenant)}/categories/999999/").status_code == 404
    product = make_product(tenant, "Lamp", variants=[{"sku": "L-1", "price": "3"}])
    variant = product.variants.get()
    data = editor_client.get(f"{base(tenant)}/products/{product.pk}/variants/{variant.pk}/").json()
    assert data["sku"] == "L-1" and data["stock_status"] in ("in_stock", "low_stock", "out_of_stock")
    assert editor_client.get(f"{base(tenant)}/products/{product.pk}/variants/999999/").status_code == 404


def test_jwt_bearer_token_works_for_catalog_api(tenant):
    from rest_framework.test import APIClient

    from apps.accounts import services as account_services
    from tests.factories import MembershipFactory

    user = account_services.create_user(
        email="mobile@example.com", password="violet-otter-47-meadow", name="M", email_verified=True
    )
    MembershipFactory(tenant=tenant, user=user, role="editor")
    api = APIClient()
    token = api.post(
        "/api/v1/auth/token",
        {"email": "mobile@example.com", "password": "violet-otter-47-meadow", "client": "mobile"},
        format="json",
    ).json()["access"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    created = api.post(
        f"{base(tenant)}/products/",
        {"name": "Token Made", "variants": [{"sku": "TK-1", "price": "1.00"}]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert api.get(f"{base(tenant)}/products/").json()["results"][0]["name"] == "Token Made"
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert api.get(f"{base(tenant)}/products/").status_code == 401


def test_public_shapes_match_the_schema(client, tenant):
    shoes = make_category(tenant, "Shoes")
    make_product(tenant, "Runner", slug="runner", category=shoes, attributes={"color": "red"})
    listing = client.get(f"{base(tenant)}/public/products/").json()["results"][0]
    assert set(listing) == {
        "id",
        "public_id",
        "name",
        "slug",
        "price_min",
        "price_max",
        "currency",
        "in_stock",
        "image",
    }
    detail = client.get(f"{base(tenant)}/public/products/runner/").json()
    assert detail["category"] == {"id": shoes.pk, "name": "Shoes", "slug": "shoes"}
    assert set(detail["variants"][0]) == {
        "id",
        "sku",
        "options",
        "price",
        "compare_at_price",
        "currency",
        "stock_status",
    }
    assert "status" not in detail and "stock" not in detail["variants"][0]
    categories = client.get(f"{base(tenant)}/public/categories/").json()
    assert categories == [
        {"id": shoes.pk, "name": "Shoes", "slug": "shoes", "parent": None, "path": shoes.path, "depth": 0}
    ]
