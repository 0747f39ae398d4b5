"""The API documentation renders in a real browser from our own static files, within its CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_without_csp_violations(page):
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    external = []
    page.on("request", lambda request: external.append(request.url) if not request.url.startswith(page.base_url)
            and not request.url.startswith(("blob:", "data:")) else None)  # fmt: skip

    response = page.goto(page.base_url + "/api/v1/docs/")

    assert response.status == 200
    page.get_by_role("heading", name="Bazaar API").first.wait_for(timeout=20_000)
    assert page.get_by_text("/api/v1/auth/token").count() > 0
    # Scripts, styles and the worker all load; only Redoc's "powered by" logo on its CDN is refused.
    assert [text for text in blocked if "img-src" not in text] == []
    assert [url for url in external if not url.startswith("https://cdn.redoc.ly/redoc/logo")] == []
