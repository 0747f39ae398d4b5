"""The orders console: list (search, filters, keyset paging), detail with registered sections,
fulfil/cancel by role, and the shipping/tax/checkout settings page."""

import pytest

from apps.catalog.models import Variant
from apps.orders import hooks, services
from apps.orders.models import Order, ShippingZone, TaxRate
from tests.orders.conftest import a, place

pytestmark = pytest.mark.django_db


def test_list_search_filters_and_keyset_paging(client, tenant, shop, make_member, monkeypatch):
    from apps.orders import console_views

    monkeypatch.setattr(console_views, "PER_PAGE", 2)
    orders = place(tenant, shop, 3) + place(tenant, shop, 1, email="bob@example.com")
    services.cancel_order(tenant=tenant, order_id=orders[0].pk)
    client.force_login(make_member(tenant, "viewer"))

    first = client.get(a(tenant)).content.decode()
    assert "#4" in first and "#3" in first and "#2" not in first and "Older orders" in first
    next_href = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(a(tenant) + next_href).content.decode()
    assert "#2" in second and "#1" in second and "#4" not in second
    assert "#4" in client.get(a(tenant), {"q": "bob@example.com"}).content.decode()
    by_number = client.get(a(tenant), {"q": "#2"}).content.decode()
    assert "#2</a>" in by_number and "#3</a>" not in by_number
    cancelled = client.get(a(tenant), {"status": "cancelled"}).content.decode()
    assert "#1</a>" in cancelled and "#2</a>" not in cancelled
    assert client.get(a(tenant), {"from": "garbage", "after": "nonsense", "status": "lost"}).status_code == 200


def test_detail_shows_lines_events_and_registered_sections(client, tenant, shop, make_member):
    def section(request, order):
        return {
            "template": "orders/email/_lines.txt",
            "context": {"lines": [], "shipping": "X", "total": "Y", "tax": "Z"},
        }

    hooks.register_order_section(section)
    try:
        order = place(tenant, shop)[0]
        client.force_login(make_member(tenant, "viewer"))
        page = client.get(a(tenant, f"{order.number}/")).content.decode()
    finally:
        hooks._order_sections.remove(section)
    assert "Order #1" in page and "placed" in page and "Ada Lovelace" in page and "Total: Y" in page
    assert "Ship these units" not in page and "Cancel order" not in page  # a viewer cannot change it
    assert client.get(a(tenant, "999/")).status_code == 404


def test_fulfil_needs_orders_fulfil_and_cancel_needs_orders_manage(client, tenant, shop, make_member):
    first, second = place(tenant, shop, 2)
    client.force_login(make_member(tenant, "viewer"))
    assert client.post(a(tenant, f"{first.number}/fulfil"), {"all": "1"}).status_code == 403
    client.force_login(make_member(tenant, "editor"))  # editors ship, they do not cancel
    assert client.post(a(tenant, f"{second.number}/cancel"), {"reason": "asked"}).status_code == 403
    client.post(a(tenant, f"{first.number}/fulfil"), {"all": "1", "carrier": "ups", "tracking_number": "1Z999"})
    client.force_login(make_member(tenant, "admin"))
    client.post(a(tenant, f"{second.number}/cancel"), {"reason": "asked"})
    response = client.post(a(tenant, f"{second.number}/fulfil"), {"all": "1"}, follow=True)
    assert "cannot be shipped" in response.content.decode()
    statuses = dict(Order.objects.for_tenant(tenant).values_list("number", "status"))
    assert statuses == {first.number: "fulfilled", second.number: "cancelled"}
    assert sum(Variant.objects.for_tenant(tenant).values_list("allocated", flat=True)) == 0


def test_settings_page_manages_zones_methods_and_tax(client, tenant, make_member):
    client.force_login(make_member(tenant, "owner"))
    assert client.get(a(tenant, "settings/")).status_code == 200
    client.post(a(tenant, "settings/"), {"form": "zone", "name": "Benelux", "countries": "BE, NL, LU"})
    zone = ShippingZone.objects.for_tenant(tenant).get()
    assert [c.code for c in zone.countries] == ["BE", "LU", "NL"]
    client.post(
        a(tenant, "settings/"),
        {"form": "method", "zone_id": zone.pk, "name": "Post", "price": "5.5", "free_over": "80"},
    )
    assert zone.methods.get().free_over == 80
    bad = client.post(a(tenant, "settings/"), {"form": "zone", "name": "Nowhere", "countries": "ZZ"})
    assert bad.status_code == 400 and "Unknown country codes: ZZ" in bad.content.decode()
    client.post(a(tenant, "settings/"), {"form": "tax", "country": "BE", "rate": "21"})
    assert str(TaxRate.objects.for_tenant(tenant).get().rate) == "0.2100"
    bad = client.post(a(tenant, "settings/"), {"form": "selling", "hold_minutes": "0"})
    assert bad.status_code == 400 and "from 1 to 120" in bad.content.decode()
    client.post(
        a(tenant, "settings/"),
        {
            "form": "selling",
            "hold_minutes": "15",
            "unpaid_order_expiry_minutes": "30",
            "max_line_quantity": "50",
            "max_cart_lines": "100",
        },
    )
    page = client.get(a(tenant, "settings/")).content.decode()
    assert 'value="15"' in page
    client.force_login(make_member(tenant, "viewer"))
    assert client.post(a(tenant, "settings/"), {"form": "zone", "name": "X", "countries": "FR"}).status_code == 403
