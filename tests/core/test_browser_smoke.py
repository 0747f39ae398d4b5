"""The home page renders in a real browser and passes its own Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_in_chromium(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(page.base_url + "/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Bazaar"
    assert violations == []


def test_error_page_in_chromium_satisfies_the_csp(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(page.base_url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    request_id = response.headers["x-request-id"]
    assert page.locator("code.request-id").inner_text() == request_id
    assert violations == []
