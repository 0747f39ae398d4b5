"""Shared fixtures: real PostgreSQL (pytest-django's test database), real Redis (flushed around
each test), users and tenants with roles, a real Celery worker, a real browser."""

import os
import signal
import uuid

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from apps.core.cache import reset_breakers
from tests.celery_worker import CeleryWorker, route_all_tasks, start_celery_worker
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, TenantFactory, UserFactory
from tests.faults import report as faults_report
from tests.parallel import free_port

pytest_plugins = ["tests.broker"]  # the real_broker fixture

# Property tests assert what holds for every input, not how fast it runs: on 2 cores shared with
# browsers and workers, hypothesis' per-example deadline and "too slow" check would fail a correct run.
hypothesis_settings.register_profile("bazaar", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("bazaar")


def _run_first_weight(item) -> int:
    """0 for the fault and contract suites, 1 for other slow, browser or worker tests, else 2."""
    if item.get_closest_marker("faults") or item.get_closest_marker("contract"):
        return 0
    if any(item.get_closest_marker(name) for name in ("slow", "browser", "worker")):
        return 1
    return 2


def pytest_collection_modifyitems(session, config, items):
    """Longest files first, in a stable order (``make test`` runs ``-n 2 --dist loadfile
    --no-loadscope-reorder``: each file goes whole to the next free worker, so the long ones must
    not be left for the end); the order within a file is kept."""
    weight: dict = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        weight[path] = min(weight.get(path, 2), _run_first_weight(item))
    items.sort(key=lambda item: weight[item.nodeid.split("::", 1)[0]])


def pytest_runtest_logreport(report):
    faults_report.collect_rows(report)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    faults_report.write_table(terminalreporter)


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


# --- Real Celery worker ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def celery_worker(django_db_setup, tmp_path_factory):
    """One real Celery worker per test module (a subprocess against the real broker and this run's
    test database), on a queue unique to it; killed by its PID at the end of the module, its queue
    deleted, its log printed. Use ``real_worker`` in a test to send tasks to it."""
    from config.celery import app as celery_app

    queue = f"bazaar_test_{uuid.uuid4().hex[:10]}"
    log_path = tmp_path_factory.mktemp("celery-worker") / "worker.log"
    metrics_port = free_port()
    process = start_celery_worker(queue=queue, log_path=log_path, metrics_port=metrics_port)
    worker = CeleryWorker(queue=queue, process=process, log_path=log_path, metrics_port=metrics_port)
    try:
        yield worker
    finally:
        process.send_signal(signal.SIGKILL)  # the tests are over: no graceful shutdown (~7-13 s) needed
        process.wait(timeout=15)
        with celery_app.connection_for_write() as conn:  # leave no queue behind on the broker
            conn.default_channel.queue_delete(queue)
        print(worker.log()[-3000:])


@pytest.fixture
def real_worker(celery_worker):
    """For one test, tasks go to the module's real worker (eager mode off, every task routed to
    its queue); yields the ``CeleryWorker``."""
    saved = route_all_tasks(celery_worker.queue)
    try:
        yield celery_worker
    finally:
        route_all_tasks(None, saved)
