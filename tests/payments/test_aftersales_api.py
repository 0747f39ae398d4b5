"""The staff after-sales API (``/api/v1/t/<slug>/orders/<number>/fulfil|cancel|refund|return|notes/``):
roles, the error shape with honest codes, idempotent refunds, and the shopper's view of shipments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from apps.catalog.models import Variant
from apps.payments import services
from apps.payments.models import Payment
from tests.payments.conftest import make_variant, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def url(tenant, order, action=""):
    return f"/api/v1/t/{tenant.slug}/orders/{order.number}/{action}"


def error(response, status, code):
    body = response.json()
    assert response.status_code == status, body
    assert set(body["error"]) == {"code", "message", "details", "request_id"} and body["error"]["code"] == code, body
    return body["error"]


def test_ship_refund_return_and_notes_through_the_api(api, tenant, shop, make_member):
    owner, editor = make_member(tenant, role="owner"), make_member(tenant, role="editor")
    mug = make_variant(tenant, price="12.00", stock=5)
    order, _ = place(tenant, shop, [(mug, 2)])
    services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    api.force_authenticate(editor)
    line_id = api.get(url(tenant, order)).json()["lines"][0]["id"]

    shipped = api.post(
        url(tenant, order, "fulfil/"),
        {"lines": [{"line_id": line_id, "quantity": 2}], "carrier": "ups", "tracking_number": "1Z 999"},
        format="json",
    )
    assert shipped.status_code == 201, shipped.json()
    assert shipped.json()["tracking_link"] == "https://www.ups.com/track?tracknum=1Z%20999"
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).stock == 3
    error(api.post(url(tenant, order, "refund/"), {"amount": "1.00"}, format="json"), 403, "permission_denied")
    error(api.post(url(tenant, order, "return/"), {"lines": []}, format="json"), 403, "permission_denied")
    assert api.post(url(tenant, order, "notes/"), {"body": "Left at the door"}, format="json").status_code == 201
    assert [n["body"] for n in api.get(url(tenant, order, "notes/")).json()] == ["Left at the door"]

    api.force_authenticate(owner)
    returned = api.post(
        url(tenant, order, "return/"), {"lines": [{"line_id": line_id, "quantity": 1}], "restock": True}, format="json"
    )
    assert returned.status_code == 201 and returned.json()["order_status"] == "partially_returned"
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).stock == 4
    body = {"lines": [{"line_id": line_id, "quantity": 1}]}
    first = api.post(url(tenant, order, "refund/"), body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = api.post(url(tenant, order, "refund/"), body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and first.json()["amount"] == "12.00" and first.json()["manual"] is True
    too_much = error(
        api.post(url(tenant, order, "refund/"), {"amount": "20.00"}, format="json"), 409, "refund_exceeds_charge"
    )
    assert too_much["details"]["refundable"] == "16.90"
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("12.00"))

    detail = api.get(url(tenant, order)).json()
    assert detail["payment_status"] == "partially_refunded" and detail["status"] == "partially_returned"
    assert detail["lines"][0]["quantity_returned"] == 1
    assert [e["kind"] for e in detail["events"]][-3:] == ["partially_returned", "payment_status_changed", "refunded"]


@pytest.mark.parametrize(
    "bad",
    [{"amount": " 5.00"}, {"amount": 5}, {"amount": "5.00", "shipping": True}, {}],
    ids=["amount-with-space", "amount-a-number", "amount-and-shipping", "empty"],
)
def test_a_bad_refund_body_is_a_validation_error_and_refunds_nothing(api, tenant, shop, make_member, bad):
    owner = make_member(tenant, role="owner")
    order, _ = place(tenant, shop, [(make_variant(tenant, price="12.00", stock=5), 2)])
    services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    api.force_authenticate(owner)
    error(api.post(url(tenant, order, "refund/"), bad, format="json"), 400, "validation_error")
    assert Payment.objects.for_tenant(tenant).get(order_id=order.pk).amount_refunded == 0


@pytest.mark.parametrize(
    "bad",
    [
        lambda line_id: {"lines": None},
        lambda line_id: {"lines": {str(line_id): 1}},  # a form's mapping is not the API's list
        lambda line_id: {"lines": [{"line_id": line_id, "quantity": -1}]},
        lambda line_id: {"lines": [{"line_id": line_id, "quantity": "1"}]},
        lambda line_id: {"lines": [{"line_id": line_id, "quantity": 1}, {"line_id": line_id, "quantity": 1}]},  # 2 > 1
        lambda line_id: {"carrier": "DHL"},
        lambda line_id: {"carrier": "dhl", "tracking_number": "JD1\n"},
        lambda line_id: {"carrier": "other", "tracking_url": " https://track.example/1"},
        lambda line_id: {"tracking_number": "JD1"},  # no carrier
    ],
    ids=[
        "lines-null",
        "lines-a-mapping",
        "quantity-negative",
        "quantity-a-string",
        "more-than-open",
        "carrier-not-lowercase",
        "tracking-number-newline",
        "tracking-url-space",
        "tracking-number-without-carrier",
    ],
)
def test_a_bad_fulfil_body_is_a_validation_error_and_allocates_nothing(api, tenant, shop, make_member, bad):
    admin = make_member(tenant, role="admin")
    mug = make_variant(tenant, stock=5)
    order, _ = place(tenant, shop, [(mug, 1)])
    api.force_authenticate(admin)
    error(api.post(url(tenant, order, "fulfil/"), bad(order.lines.get().pk), format="json"), 400, "validation_error")
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).allocated == 1


def test_errors_are_honest_and_change_nothing(api, tenant, shop, make_member):
    admin = make_member(tenant, role="admin")
    mug = make_variant(tenant, stock=5)
    order, _ = place(tenant, shop, [(mug, 1)])
    api.force_authenticate(admin)
    error(api.post(f"/api/v1/t/{tenant.slug}/orders/999/fulfil/", {}, format="json"), 404, "not_found")
    error(api.post(url(tenant, order, "fulfil/"), {"carrier": "pigeon"}, format="json"), 400, "validation_error")
    error(api.post(url(tenant, order, "fulfil/"), {"lines": "all"}, format="json"), 400, "validation_error")
    error(api.post(url(tenant, order, "fulfil/"), ["x"], format="json"), 400, "validation_error")
    error(api.post(url(tenant, order, "cancel/"), {"reason": "x" * 501}, format="json"), 400, "validation_error")
    error(api.post(url(tenant, order, "refund/"), {"amount": "1.00"}, format="json"), 409, "not_refundable")
    error(api.post(url(tenant, order, "refund/"), {"shipping": "yes"}, format="json"), 400, "validation_error")
    error(
        api.post(url(tenant, order, "return/"), {"lines": [{"line_id": 1, "quantity": 1}]}, format="json"),
        409,
        "invalid_transition",
    )
    error(api.post(url(tenant, order, "notes/"), {"body": ""}, format="json"), 400, "validation_error")
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).allocated == 1

    cancelled = api.post(url(tenant, order, "cancel/"), {"reason": "asked"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post(url(tenant, order, "cancel/"), {}, format="json").status_code == 200  # twice = once
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).allocated == 0
    error(api.post(url(tenant, order, "fulfil/"), {}, format="json"), 409, "invalid_transition")


def test_the_shopper_sees_shipments_in_my_orders(api, tenant, shop, make_member, user):
    from apps.orders import services as order_services
    from apps.orders.models import Order

    order, _ = place(tenant, shop, [(make_variant(tenant), 1)])
    Order.objects.for_tenant(tenant).filter(pk=order.pk).update(user=user)
    order_services.fulfil_order_lines(tenant=tenant, order_id=order.pk, carrier="dhl", tracking_number="JD1")
    api.force_authenticate(user)
    (mine,) = api.get(f"/api/v1/t/{tenant.slug}/orders/mine/").json()["results"]
    assert mine["status"] == "fulfilled"
    assert mine["shipments"][0]["tracking_link"].endswith("tracking-id=JD1")
