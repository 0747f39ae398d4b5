"""A real browser: browse the storefront (the beacon sends events), run the drain and the rollup,
and the dashboard shows those views."""

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.analytics import buffer, event_store, rollups
from tests.analytics.conftest import BROWSER_UA
from tests.catalog.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_events(tenant, expected, timeout=10.0):
    deadline = time.monotonic() + timeout
    stored = 0
    while time.monotonic() < deadline:
        buffer.drain(consumer="browser-test", min_idle_ms=0)
        stored = event_store.count_events(tenant_id=tenant.pk)
        if stored >= expected:
            return stored
        time.sleep(0.2)
    return stored


def test_storefront_beacon_to_dashboard(browser, live_server, tenant, owner):
    product = make_product(tenant, name="Glacier Parka")
    context = browser.new_context(user_agent=BROWSER_UA, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    beacons, answers = [], []
    page.on("request", lambda request: beacons.append(request) if "/analytics/events" in request.url else None)
    page.on("response", lambda response: answers.append(response) if "/analytics/events" in response.url else None)

    page.goto(f"{live_server.url}/s/{tenant.slug}/")
    page.goto(f"{live_server.url}/s/{tenant.slug}/p/{product.slug}/")
    page.goto(f"{live_server.url}/s/{tenant.slug}/search?q=parka")
    page.goto(f"{live_server.url}/s/{tenant.slug}/search?q=snorkel")
    # 4 page views, 1 product view, 2 searches (one with no results)
    assert wait_for_events(tenant, 7) == 7
    assert all(request.headers.get("content-type", "").startswith("text/plain") for request in beacons)
    # The beacon sets no cookie (the only cookie is the layout's CSRF token) and stores nothing.
    assert answers and all(r.status == 202 and "set-cookie" not in r.headers for r in answers)
    assert {cookie["name"] for cookie in context.cookies()} <= {"csrftoken"}
    stored_keys = page.evaluate("Object.keys(window.localStorage).concat(Object.keys(window.sessionStorage))")
    assert all(name.startswith("htmx") for name in stored_keys)  # htmx's own history cache only

    assert rollups.rebuild_dirty() >= 1

    # Sign the owner in (session cookie made by Django's test client) and open the dashboard.
    client = Client()
    client.force_login(owner)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    response = page.goto(f"{live_server.url}/a/{tenant.slug}/analytics/?period=today")
    assert response.status == 200
    assert page.locator("[data-metric=pageviews] .metric-value").inner_text() == "4"
    assert page.locator("[data-metric=visitors] .metric-value").inner_text() == "1"
    assert "Glacier Parka" in page.locator("#report-products").inner_text()
    assert "snorkel" in page.locator("#report-zero-result-searches").inner_text()
    assert f"/s/{tenant.slug}/p/{product.slug}/" in page.locator("#report-pages").inner_text()
    assert page.locator("svg.chart polyline.chart-pageviews").count() == 1
    # The range form updates the report in place (htmx) and keeps a shareable URL.
    page.select_option("#id_period", "7d")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**period=7d**")
    assert page.locator("[data-metric=pageviews] .metric-value").inner_text() == "4"
    assert "7 days before" in page.locator("#analytics-body").inner_text()
    assert violations == []
    context.close()
