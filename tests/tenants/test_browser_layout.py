"""Console pages on a 360 px phone and with the keyboard only, in Chromium."""

import pytest

from apps.tenants import services
from tests.browser_helpers import login_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_members_page_fits_a_phone_and_works_with_the_keyboard(page):
    owner = UserFactory(email="owner@phone.example")
    tenant = services.create_tenant(user=owner, name="A Shop With A Rather Long Name", slug="long-shop")
    for i in range(3):
        services.invite_member(tenant=tenant, by=owner, email=f"person{i}@a-long-domain-name.example", role="viewer")
    page.set_viewport_size({"width": 360, "height": 740})
    login_as(page, owner)
    response = page.goto(page.base_url + "/a/long-shop/members/")
    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    total = page.evaluate(
        "performance.getEntriesByType('resource').reduce((n, r) => n + (r.transferSize || r.encodedBodySize), 0)"
        " + performance.getEntriesByType('navigation')[0].encodedBodySize"
    )
    print(f"members page initial load: {total} bytes")
    assert total < 200_000
    # Keyboard only: Tab from the email field to the role select, then to the submit button.
    page.focus("#id_email")
    page.keyboard.type("newcomer@example.com")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_role"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send invitation"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Invitation sent to newcomer@example.com" in page.locator(".flash-messages").inner_text()
    # Every form control on the page has a label.
    unlabeled = page.evaluate(
        """[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
           .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)"""
    )
    assert unlabeled == []
