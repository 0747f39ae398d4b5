"""A form that comes back with errors puts the first invalid field in focus and in view, so a phone
user sees what went wrong (here: the invite form far down the members page at 360 px)."""

import pytest

from apps.tenants import services
from tests.browser_helpers import login_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_invalid_field_gets_focus_and_is_in_view(page):
    owner = UserFactory(email="owner@focus.example")
    tenant = services.create_tenant(user=owner, name="Focus Shop", slug="focus-shop")
    for i in range(6):
        services.invite_member(tenant=tenant, by=owner, email=f"person{i}@focus.example", role="viewer")
    page.set_viewport_size({"width": 360, "height": 640})
    login_as(page, owner)
    page.goto(page.base_url + f"/a/{tenant.slug}/members/")

    page.fill("#id_email", "not-an-email")
    page.locator(".invite-form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".field-invalid").count() >= 1
    assert page.evaluate("document.activeElement.id") == "id_email"
    box = page.locator("#id_email").bounding_box()
    assert 0 <= box["y"] <= 640
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_favicon_is_served(page):
    response = page.goto(page.base_url + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert response.status == 200
    assert page.request.get(page.base_url + href).status == 200
