"""With a real Celery worker (not eager): an edit commits at once and the search vector catches up
in the background within seconds (the write never waits on index work)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from apps.catalog import selectors, services
from apps.catalog.filters import parse_product_filters
from config.celery import app as celery_app
from tests.catalog.factories import make_product

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout=20.0, interval=0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def _route_catalog_tasks(routes) -> None:
    """Send the catalog's tasks to ``routes`` (Celery caches its router: rebuild it)."""
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@pytest.fixture
def catalog_worker(django_db_setup):
    queue = f"bazaar_catalog_test_{uuid.uuid4().hex[:10]}"  # unique: nobody else's messages
    base = settings.DATABASES["default"]
    db = connection.settings_dict["NAME"]
    url = f"postgres://{base['USER']}:{base.get('PASSWORD') or ''}@{base['HOST']}:{base['PORT'] or 5432}/{db}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_TASK_ALWAYS_EAGER": "false", "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "config.settings.test"}  # fmt: skip
    log = open(f"/tmp/bazaar-catalog-worker-{os.getpid()}.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo",
         "-n", f"{queue}@%h",  # a unique node name: other workers may share the broker
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    old_eager, old_routes = celery_app.conf.task_always_eager, celery_app.conf.task_routes
    celery_app.conf.task_always_eager = False
    _route_catalog_tasks({"catalog.*": {"queue": queue}})
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = old_eager
        _route_catalog_tasks(old_routes)
        with celery_app.connection_for_write() as conn:  # leave no queue behind on the broker
            conn.default_channel.queue_delete(queue)
        with celery_app.connection_for_write() as conn:  # leave no queue behind on the broker
            conn.default_channel.queue_delete(queue)
        process.kill()
        process.wait(timeout=15)
        log.seek(0)
        print(log.read()[-2000:])
        log.close()
        os.unlink(log.name)


def test_search_catches_up_after_an_edit(tenant, catalog_worker):
    product = make_product(tenant, "Plain Kettle")
    with transaction.atomic():
        services.update_product(tenant=tenant, product=product, data={"name": "Zanzibar Kettle"})

    def found():
        filters = parse_product_filters({"q": "zanzib"})
        return [p.name for p in selectors.search_products(tenant=tenant, filters=filters)] == ["Zanzibar Kettle"]

    assert wait_for(found), "the worker did not refresh the search vector"
