"""Creating a shop needs no manual: the address is made from the name (server-side without
JavaScript, live with it, and shown as the URL), time zones are offered as a searchable list with
the browser's own zone suggested, and common currencies come first."""

import re

import pytest

from apps.tenants.models import Tenant
from apps.tenants.validation import suggest_slug, validate_slug
from tests.factories import DEFAULT_PASSWORD
from tests.tenants.helpers import verified_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Corner Shop", "corner-shop"),
        ("Café Zoë & Co.", "cafe-zoe-co"),
        ("  Über   Größe!! ", "uber-groe"),
        ("X", "x-shop"),
        ("A" * 80, "a" * 50),
    ],
)
def test_suggest_slug(name, slug):
    assert suggest_slug(name) == slug
    validate_slug(slug)  # every suggestion is a well-formed address


def test_an_empty_address_is_made_from_the_name_without_javascript(client, user):
    client.force_login(user)
    response = client.post("/tenants/new/", {"name": "Café Zoë", "slug": "", "currency": "EUR", "time_zone": "UTC"})
    assert response.status_code == 302
    assert Tenant.objects.get().slug == "cafe-zoe"


def test_the_form_offers_time_zones_and_common_currencies_first(client, user):
    client.force_login(user)
    html = client.get("/tenants/new/").content.decode()
    assert 'list="time-zones"' in html and '<option value="Europe/Paris">' in html
    currencies = re.findall(r'<option value="([A-Z]{3})"', html)
    assert currencies[:3] == ["EUR", "USD", "GBP"] and len(currencies) == len(set(currencies)) > 100
    assert "/s/" in html and "data-slug-value" in html


@pytest.mark.browser
def test_address_follows_the_name_and_the_browser_time_zone_is_suggested(browser, live_server):
    owner = verified_user("maker@example.com")
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Europe/Lisbon")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", owner.email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/tenants/new/")
    assert page.get_by_label("Time zone").input_value() == "Europe/Lisbon"
    page.get_by_label("Shop name").press_sequentially("Café Zoë")
    assert page.get_by_label("Web address").input_value() == "cafe-zoe"
    assert page.locator("[data-slug-value]").inner_text() == "cafe-zoe"
    page.get_by_label("Web address").fill("zoe")  # an edit sticks
    page.get_by_label("Shop name").press("End")
    page.get_by_label("Shop name").press_sequentially(" Lisboa")
    assert page.get_by_label("Web address").input_value() == "zoe"
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/a/zoe/$"))
    tenant = Tenant.objects.get(slug="zoe")
    assert tenant.time_zone == "Europe/Lisbon" and tenant.name == "Café Zoë Lisboa"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
