"""The console's after-sales pages by role: bulk "mark shipped" with one carrier, printable packing
slips, staff notes, partial shipments from the detail form, and errors shown without changing anything."""

from __future__ import annotations

import pytest

from apps.catalog.models import Variant
from apps.orders.models import Fulfilment, Order, OrderNote
from tests.orders.conftest import a, place

pytestmark = pytest.mark.django_db


def test_bulk_ship_with_one_carrier_and_packing_slips(client, tenant, shop, make_member):
    first, second, third = place(tenant, shop, 3)
    client.force_login(make_member(tenant, "viewer"))
    assert client.post(a(tenant, "bulk"), {"action": "fulfil", "number": [first.number]}).status_code == 403
    assert client.get(a(tenant, f"packing-slips/?numbers={first.number}")).status_code == 403
    assert "Mark shipped" not in client.get(a(tenant)).content.decode()

    client.force_login(make_member(tenant, "editor"))
    listing = client.get(a(tenant)).content.decode()
    assert "Mark shipped" in listing and f'value="{first.number}"' in listing
    slips = client.post(
        a(tenant, "bulk"), {"action": "packing_slips", "number": [first.number, third.number]}, follow=True
    )
    page = slips.content.decode()
    assert slips.status_code == 200 and "window.print()" in page
    assert f"order #{first.number}" in page and f"order #{third.number}" in page
    assert f"order #{second.number}" not in page and "Ada Lovelace" in page

    response = client.post(
        a(tenant, "bulk"), {"action": "fulfil", "carrier": "dpd", "number": [first.number, second.number]}, follow=True
    )
    assert f"Shipped: #{first.number}, #{second.number}" in response.content.decode()
    statuses = dict(Order.objects.for_tenant(tenant).values_list("number", "status"))
    assert statuses == {first.number: "fulfilled", second.number: "fulfilled", third.number: "unfulfilled"}
    assert set(Fulfilment.objects.for_tenant(tenant).values_list("carrier", flat=True)) == {"dpd"}
    bad = client.post(
        a(tenant, "bulk"), {"action": "fulfil", "carrier": "pigeon", "number": [third.number]}, follow=True
    )
    assert "Choose one of" in bad.content.decode()
    assert Order.objects.for_tenant(tenant).get(pk=third.pk).status == "unfulfilled"


def test_partial_shipment_notes_and_errors_from_the_detail_page(client, tenant, shop, make_member):
    (order,) = place(tenant, shop, 1)
    line = order.lines.get()
    client.force_login(make_member(tenant, "editor"))
    page = client.get(a(tenant, f"{order.number}/")).content.decode()
    assert "Ship these units" in page and "Record a return" not in page and "Refund" not in page
    too_many = client.post(a(tenant, f"{order.number}/fulfil"), {f"qty-{line.pk}": "9"}, follow=True)
    assert "can still be shipped" in too_many.content.decode()
    assert not Fulfilment.objects.for_tenant(tenant).exists()

    client.post(
        a(tenant, f"{order.number}/fulfil"),
        {f"qty-{line.pk}": str(line.quantity), "carrier": "other", "tracking_url": "https://track.example/42"},
    )
    detail = client.get(a(tenant, f"{order.number}/")).content.decode()
    assert 'href="https://track.example/42"' in detail and "Ship these units" not in detail
    client.post(a(tenant, f"{order.number}/notes"), {"body": "Customer called <b>twice</b>"})
    assert OrderNote.objects.for_tenant(tenant).get().body == "Customer called <b>twice</b>"
    assert "Customer called &lt;b&gt;twice&lt;/b&gt;" in client.get(a(tenant, f"{order.number}/")).content.decode()
    assert sum(Variant.objects.for_tenant(tenant).values_list("allocated", flat=True)) == 0
