"""The voucher in the storefront (cart form, no JavaScript) and the cart API, the staff API for
vouchers (roles, error shape, honest codes), and the console pages for vouchers and sales."""

from __future__ import annotations

import pytest
from django.contrib import admin
from rest_framework.test import APIClient

from apps.accounts.services import issue_tokens
from apps.promotions.demo import load_demo_promotions
from apps.promotions.models import Sale, Voucher, VoucherRedemption
from tests.api_helpers import assert_error
from tests.catalog.factories import make_category, make_product
from tests.promotions.conftest import make_variant, make_voucher

pytestmark = pytest.mark.django_db


def s(tenant, path=""):
    return f"/s/{tenant.slug}/{path}"


def api_base(tenant):
    return f"/api/v1/t/{tenant.slug}"


def test_the_cart_page_applies_a_code_and_shows_the_discount_per_line_and_in_the_total(client, tenant, shop):
    make_voucher(tenant, code="TENOFF", kind="fixed", value="10")
    variant = make_variant(tenant, price="25.00")
    client.post(s(tenant, "cart/add/"), {"variant_id": variant.pk, "quantity": 2})
    assert 'name="code"' in client.get(s(tenant, "cart/")).content.decode()

    bad = client.post(s(tenant, "cart/voucher/"), {"code": "nothing", "next": s(tenant, "cart/")}, follow=True)
    assert "This code is not valid in this shop." in bad.content.decode()

    page = client.post(s(tenant, "cart/voucher/"), {"code": "tenoff", "next": s(tenant, "cart/")}, follow=True)
    html = page.content.decode()
    assert "Your code is applied." in html and "TENOFF" in html
    assert "−€10.00 (TENOFF)" in html  # the line's share
    totals = html.split('class="order-totals"')[1].split("</dl>")[0]
    assert "Discount (TENOFF)" in totals and "−€10.00" in totals and "€40.00" in totals  # no shipping chosen yet
    removed = client.post(s(tenant, "cart/voucher/"), {"action": "remove"}, follow=True).content.decode()
    assert "The code was removed." in removed and "Discount (" not in removed


def test_the_cart_api_applies_and_removes_a_code_in_the_error_shape(tenant, shop):
    make_voucher(tenant, code="API10")
    make_voucher(tenant, code="LATER", min_subtotal="500")
    variant = make_variant(tenant, price="20.00")
    api = APIClient()
    token = api.post(f"{api_base(tenant)}/carts/").json()["token"]
    api.post(f"{api_base(tenant)}/carts/{token}/lines/", {"variant_id": variant.pk, "quantity": 1}, format="json")
    url = f"{api_base(tenant)}/carts/{token}/voucher/"

    assert_error(api.post(url, {"code": "nope"}, format="json"), 400, "voucher_invalid")
    assert_error(api.post(url, {"code": 42}, format="json"), 400, "validation_error")
    error = assert_error(api.post(url, {"code": "later"}, format="json"), 409, "voucher_below_minimum")
    assert error["details"]["min_subtotal"] == "500.00"
    cart = api.post(url, {"code": "api10"}, format="json").json()
    assert cart["voucher_code"] == "API10" and cart["voucher_problem"] is None
    assert cart["totals"]["discount"] == "2.00" and cart["lines"][0]["discount"] == "2.00"
    assert cart["lines"][0]["amounts"]["total"] == "18.00"
    cart = api.delete(url).json()
    assert cart["voucher_code"] == "" and cart["totals"]["discount"] == "0.00"
    assert_error(
        api.post(
            f"{api_base(tenant)}/carts/{'0' * 8}-0000-4000-8000-{'0' * 12}/voucher/", {"code": "x"}, format="json"
        ),
        404,
        "not_found",
    )


@pytest.fixture
def staff_api(tenant, make_member):
    def _client(role):
        client = APIClient()
        pair = issue_tokens(user=make_member(tenant, role), client="mobile")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
        return client

    return _client


def test_staff_voucher_api_by_role(tenant, staff_api):
    shoes = make_category(tenant, "Shoes")
    editor, viewer = staff_api("editor"), staff_api("viewer")
    url = f"{api_base(tenant)}/promotions/vouchers/"
    body = {"code": "Winter10", "kind": "percentage", "value": "10", "categories": [shoes.pk], "usage_limit": 5}

    created = editor.post(url, body, format="json")
    assert created.status_code == 201, created.json()
    voucher = created.json()
    assert voucher["code"] == "Winter10" and voucher["categories"] == [shoes.pk] and voucher["used_count"] == 0
    assert_error(editor.post(url, {**body, "code": "WINTER10"}, format="json"), 409, "conflict")
    assert_error(editor.post(url, {**body, "value": "150"}, format="json"), 400, "validation_error")
    assert_error(editor.post(url, {**body, "once_per_customer": "yes"}, format="json"), 400, "validation_error")
    assert_error(viewer.post(url, body, format="json"), 403, "permission_denied")

    listed = viewer.get(url).json()
    assert [v["code"] for v in listed["results"]] == ["Winter10"]
    detail = f"{url}{voucher['id']}/"
    replaced = editor.put(detail, {**body, "value": "15", "categories": []}, format="json").json()
    assert replaced["value"] == "15.00" and replaced["categories"] == []
    assert_error(editor.get(f"{url}987654/"), 404, "not_found")
    assert editor.delete(detail).status_code == 204
    assert not Voucher.objects.for_tenant(tenant).exists()


def test_console_pages_create_edit_and_list_by_role(client, tenant, make_member):
    product = make_product(tenant, "Lamp")
    client.force_login(make_member(tenant, "editor"))
    base = f"/a/{tenant.slug}/promotions/"
    assert client.get(base).status_code == 200
    assert client.get(base + "vouchers/new/").status_code == 200

    bad = client.post(base + "vouchers/new/", {"code": "x", "kind": "percentage", "value": "10"})
    assert bad.status_code == 400 and 'value="x"' in bad.content.decode()  # input kept, error by the field
    ok = client.post(
        base + "vouchers/new/",
        {"code": "LAMP5", "kind": "fixed", "value": "5", "products": product.variants.get().sku, "is_active": "on"},
    )
    assert ok.status_code == 302
    voucher = Voucher.objects.for_tenant(tenant).get()
    assert list(voucher.products.values_list("id", flat=True)) == [product.pk]
    edit = client.get(base + f"vouchers/{voucher.pk}/").content.decode()
    assert "LAMP5" in edit
    sale = client.post(
        base + "sales/new/",
        {
            "name": "Lamps",
            "percentage": "15",
            "products": str(product.pk),
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-31T09:00",
            "is_active": "on",
        },
    )
    assert sale.status_code == 302
    listing = client.get(base).content.decode()
    assert "LAMP5" in listing and "Lamps" in listing
    assert client.get(base + "vouchers/987654/").status_code == 404

    client.force_login(make_member(tenant, "viewer"))
    assert client.get(base).status_code == 200
    assert client.get(base + "vouchers/new/").status_code == 403
    assert client.post(base + f"sales/{Sale.objects.for_tenant(tenant).get().pk}/", {"delete": "1"}).status_code == 403


def test_demo_promotions_are_idempotent(tenant):
    make_category(tenant, "Shoes")
    first = load_demo_promotions(tenant=tenant)
    load_demo_promotions(tenant=tenant)
    assert first == {"voucher": "WELCOME10", "sale_category": "Shoes"}
    assert Voucher.objects.for_tenant(tenant).count() == 1 and Sale.objects.for_tenant(tenant).count() == 1


@pytest.mark.parametrize("model", [Voucher, VoucherRedemption, Sale], ids=["voucher", "redemption", "sale"])
def test_promotions_admin_is_read_only(rf, model):
    request = rf.get("/admin/")
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request)
