"""Shared fixtures: real PostgreSQL (pytest-django's test database), real Redis (flushed around
each test), users and tenants with roles."""

import os

import pytest
from django.core.cache import cache

from apps.core.cache import reset_breakers
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, TenantFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty cache (the real Redis database of the test settings)."""
    reset_breakers()  # a test that stopped a Redis leaves no open circuit breaker behind
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


def reauthenticate(client, password=DEFAULT_PASSWORD) -> None:
    """Give allauth's re-authentication page the password, as a person does before a destructive
    or security-sensitive page (issue 10); valid for ``ACCOUNT_REAUTHENTICATION_TIMEOUT``."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def tenant(db):
    return TenantFactory()


@pytest.fixture
def make_member(db):
    """``make_member(tenant, role)`` -> a new user with that role in ``tenant``."""

    def _make(tenant, role="viewer", **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(tenant=tenant, user=user, role=role)
        return user

    return _make


@pytest.fixture
def owner(tenant, make_member):
    return make_member(tenant, "owner")


# --- Real browser ---------------------------------------------------------------------------
# Playwright's sync API runs an event loop in this thread; Django's ORM is still used
# synchronously from the test, which is safe here (one thread, no concurrency).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page; ``page.base_url`` is the live server's URL."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()
