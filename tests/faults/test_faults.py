"""The fault suite: real processes, real signals, what users see and what is stored (``make faults``).

Each test injects one fault into the private stack of ``tests/faults/stack.py`` and records a row
of the table printed at the end of the run: fault, requests sent, errors, data checked, recovery.
"""

from __future__ import annotations

import signal
import threading
import time
import uuid

import pytest

from tests.faults import stack as st
from tests.faults.report import RESULTS
from tests.faults.stack import request

# One xdist worker runs the whole module (one private stack on fixed ports): `--dist loadgroup`.
pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

PAGES = ("/s/demo/", "/s/demo/search?q=demo", "/api/v1/t/demo/catalog/public/products/")


def record(fault: str, sent: int, errors: int, checked: str, recovery: float | None) -> None:
    RESULTS.append(
        {
            "fault": fault,
            "sent": sent,
            "errors": errors,
            "checked": checked,
            "recovery": "-" if recovery is None else f"{recovery:.1f} s",
        }
    )


@pytest.fixture(scope="module")
def stack():
    """Start every private process once for the module; stop them all (by PID) at the end."""
    busy = [
        p
        for p in (
            st.PG_PRIMARY_PORT,
            st.PG_REPLICA_PORT,
            st.REDIS_CACHE_PORT,
            st.REDIS_STORE_PORT,
            st.REDIS_BROKER_PORT,
            st.WEB_PORT,
        )
        if st.port_open(p)
    ]
    if busy:
        pytest.fail(f"fault-suite ports already in use: {busy} (a previous run left processes?)")
    s = st.Stack()
    try:
        for port, evict in ((st.REDIS_CACHE_PORT, True), (st.REDIS_STORE_PORT, False), (st.REDIS_BROKER_PORT, False)):
            s.redis_start(port, evict=evict)
        s.init_primary()
        s.pg_start("pg-primary", st.PG_PRIMARY_PORT)
        s.create_database()
        s.manage("migrate", "--noinput", "-v0", timeout=240)
        s.manage("load_demo", "--products", "30", timeout=240)
        s.make_replica()
        s.pg_start("pg-replica", st.PG_REPLICA_PORT)
        s.web_start()
        s.worker_start()
        yield s
    finally:
        s.stop_all()


@pytest.fixture
def token(stack):
    """A fresh owner token per test: access tokens live minutes, and the module runs longer than that."""
    response = request("POST", "/api/v1/auth/token", body={"email": st.OWNER, "password": st.DEMO_PASSWORD})
    assert response.status == 200, response.body[:500]
    return response.json()


def auth(token) -> dict:
    return {"Authorization": f"Bearer {token['access']}"}


def published_product(stack) -> tuple[str, str]:
    slug, name = stack.psql(
        "SELECT p.slug, p.name FROM catalog_product p JOIN tenants_tenant t ON t.id = p.tenant_id "
        "WHERE t.slug = 'demo' AND p.status = 'published' ORDER BY p.id LIMIT 1"
    ).split("|")
    return slug, name


def test_cache_redis_stopped_pages_still_served(stack, token):
    slug, name = published_product(stack)
    pages = (*PAGES, f"/s/demo/p/{slug}/")
    for path in pages:
        assert request("GET", path).status == 200, path  # warm
    stack.redis_stop(st.REDIS_CACHE_PORT)  # SIGTERM to the cache's redis-server
    sent = errors = 0
    slowest = 0.0
    for _ in range(5):
        for path in pages:
            started = time.monotonic()
            response = request("GET", path)
            slowest = max(slowest, time.monotonic() - started)
            sent += 1
            errors += response.status != 200
    product_page = request("GET", f"/s/demo/p/{slug}/")
    ready = request("GET", "/readyz")
    login = request("POST", "/api/v1/auth/token", body={"email": st.OWNER, "password": st.DEMO_PASSWORD})
    sent += 3
    assert errors == 0, f"{errors} of {sent} page requests failed with the cache down"
    assert product_page.status == 200 and name.encode() in product_page.body  # served from PostgreSQL
    assert ready.status == 200 and ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["cache"].startswith("error") or ready.json()["cache_breaker"] == "open"
    assert login.status == 200  # the token store is another Redis: sign-in unaffected
    restarted = time.monotonic()
    stack.redis_start(st.REDIS_CACHE_PORT, evict=True)
    recovery = st.wait_for(
        lambda: request("GET", "/readyz").json().get("checks", {}).get("cache") == "ok",
        timeout=30,
        interval=0.5,
        what="cache back in /readyz",
    )
    assert time.monotonic() - restarted < 30
    record("cache Redis stopped, restarted", sent, errors, f"product page from PG; slowest {slowest:.2f} s", recovery)


def test_token_store_stopped_fails_closed_then_recovers(stack, token):
    refresh_before = request("POST", "/api/v1/auth/token", body={"email": st.OWNER, "password": st.DEMO_PASSWORD})
    assert refresh_before.status == 200
    stack.redis_stop(st.REDIS_STORE_PORT)
    login = request("POST", "/api/v1/auth/token", body={"email": st.OWNER, "password": st.DEMO_PASSWORD})
    refresh = request("POST", "/api/v1/auth/token/refresh", body={"refresh": refresh_before.json()["refresh"]})
    storefront = request("GET", "/s/demo/")
    assert login.status == 503 and login.json()["error"]["code"] == "token_store_unavailable", login.body[:300]
    assert refresh.status == 503 and refresh.json()["error"]["code"] == "token_store_unavailable"
    assert storefront.status == 200  # everything else is served
    stack.redis_start(st.REDIS_STORE_PORT, evict=False)  # same append-only file: nothing lost
    recovery = st.wait_for(
        lambda: (
            request("POST", "/api/v1/auth/token/refresh", body={"refresh": refresh_before.json()["refresh"]}).status
            == 200
        ),
        timeout=30,
        interval=0.5,
        what="refresh works again",
    )
    record(
        "token-store Redis stopped, restarted",
        3,
        0,
        "2 x 503 token_store_unavailable (the promise), storefront 200; old refresh token valid after",
        recovery,
    )


def test_broker_stopped_writes_answer_201_and_work_runs_after(stack, token):
    stack.redis_stop(st.REDIS_BROKER_PORT)
    tag = uuid.uuid4().hex[:8]
    statuses = []
    for i in range(5):
        body = {
            "name": f"Outage lamp {tag} {i}",
            "status": "published",
            "variants": [{"sku": f"OUT-{tag}-{i}", "price": "9.90", "stock": 3}],
        }
        started = time.monotonic()
        response = request("POST", "/api/v1/t/demo/catalog/products/", body=body, headers=auth(token))
        statuses.append((response.status, round(time.monotonic() - started, 2)))
    assert all(status == 201 for status, _ in statuses), statuses  # the real status, not a 500
    assert max(took for _, took in statuses) < 3, statuses  # one fast failure per publish, no retry loop
    pending = int(stack.psql("SELECT count(*) FROM core_outboxmessage WHERE dispatched_at IS NULL"))
    unindexed = int(
        stack.psql(
            f"SELECT count(*) FROM catalog_product WHERE name LIKE 'Outage lamp {tag}%' AND search_vector IS NULL"
        )
    )
    assert pending >= 5 and unindexed == 5
    started = time.monotonic()
    stack.redis_start(st.REDIS_BROKER_PORT, evict=False)
    stack.manage("relay_outbox")  # what the beat job core.relay_outbox does every 15 s
    st.wait_for(
        lambda: (
            int(
                stack.psql(
                    f"SELECT count(*) FROM catalog_product WHERE name LIKE 'Outage lamp {tag}%' "
                    "AND search_vector IS NOT NULL"
                )
            )
            == 5
        ),
        timeout=90,
        interval=0.5,
        what="search vectors refreshed by the worker",
    )
    recovery = time.monotonic() - started
    skus = int(stack.psql(f"SELECT count(*) FROM catalog_variant WHERE sku LIKE 'OUT-{tag}-%'"))
    assert skus == 5  # nothing doubled
    assert int(stack.psql("SELECT count(*) FROM core_outboxmessage WHERE dispatched_at IS NULL")) == 0
    stack.wait_replica_caught_up()  # the anonymous search below is served by the replica
    search = request("GET", f"/api/v1/t/demo/catalog/public/products/?q={tag}")
    assert search.status == 200 and len(search.json()["results"]) == 5
    record("broker stopped, restarted", 6, 0, "5 x 201; 5 outbox rows relayed; 5 vectors; 0 doubled", recovery)


def test_postgres_restart_costs_only_the_requests_in_flight(stack):
    for path in PAGES:
        assert request("GET", path).status == 200
    stack.pg_stop("pg-primary", mode="fast")
    started = time.monotonic()
    ready = request("GET", "/readyz", timeout=10)
    readyz_took = time.monotonic() - started
    during = [request("GET", path, timeout=10).status for path in PAGES]
    restart_at = time.monotonic()
    stack.pg_start("pg-primary", st.PG_PRIMARY_PORT)
    st.wait_for(
        lambda: request("GET", "/s/demo/").status == 200, timeout=30, interval=0.2, what="first page after the restart"
    )
    recovery = time.monotonic() - restart_at  # from the start command to the first good page
    after = [request("GET", path).status for _ in range(8) for path in PAGES]
    assert ready.status == 503 and ready.json()["failed"] == ["database"]
    assert readyz_took < 2.0, readyz_took  # reported within 2 s
    assert after.count(200) == len(after), after  # no gunicorn restart needed, nothing fails after
    record(
        "PostgreSQL restarted (pg_ctl -m fast)",
        1 + len(during) + len(after),
        len([s for s in during if s != 200]),
        f"/readyz 503 in {readyz_took:.2f} s; next {len(after)} all 200",
        recovery,
    )


def test_worker_sigkilled_mid_import_is_finished_by_the_next_worker(stack):
    """An import of 12,000 rows (six committed chunks of 2,000) loses its worker to SIGKILL after its
    first chunk; the next worker finishes it, nothing lost or doubled.

    Each step waits on the real signal, not on a guess of how long the machine takes: the worker
    takes the job (``running``), then commits its first chunk. The
    worker is then frozen (SIGSTOP) before it is counted and killed, so "halfway" is what was
    stored at the kill, however fast the rest would have gone. A wait fails at once if the worker
    exits or the job fails, and otherwise only after a bound for a stuck run, with the job's state
    and the worker's log.
    """
    tag = uuid.uuid4().hex[:6]
    rows = 12000
    script = (
        "from django.core.files.base import ContentFile\n"
        "from apps.tenants.models import Tenant\n"
        "from apps.catalog.importer import start_import\n"
        f"lines = ['sku,name,price,stock'] + [f'IMP-{tag}-{{i}},Imported {tag} {{i}},{{i % 90 + 1}}.50,{{i % 7}}' "
        f"for i in range({rows})]\n"
        "upload = ContentFile(('\\n'.join(lines) + '\\n').encode(), name='import.csv')\n"
        "job = start_import(tenant=Tenant.objects.get(slug='demo'), user=None, upload=upload, mode='skip')\n"
        "print('JOB', job.pk)\n"
    )
    out = stack.manage("shell", "-c", script)
    job_id = int(out.split("JOB", 1)[1].split()[0])

    def job() -> str:
        return stack.psql(f"SELECT status, message FROM catalog_catalogjob WHERE id = {job_id}")

    def imported() -> int:
        return stack.count(f"SELECT count(*) FROM catalog_variant WHERE sku LIKE 'IMP-{tag}-%'")

    def state() -> str:
        return f"job {job()!r}, {imported()} rows"

    stack.wait_on_worker(
        lambda: not job().startswith("pending"), what="the worker taking the job", timeout=300, state=state
    )
    stack.wait_on_worker(
        lambda: imported() > 0 or not job().startswith("running"), what="the first chunk", timeout=300, state=state
    )
    stack.freeze_worker()
    status_after_kill, written = job().split("|", 1)[0], imported()
    stack.kill_worker()  # SIGKILL, main process and pool child
    assert status_after_kill == "running" and 0 < written < rows, state()  # killed halfway, for real
    assert imported() == written  # the frozen worker wrote nothing more
    started = time.monotonic()
    stack.worker_start()
    stack.wait_on_worker(
        lambda: job().split("|", 1)[0] in ("done", "failed"),
        what="the job finished by the new worker",
        timeout=300,
        state=state,
    )
    recovery = time.monotonic() - started
    status, message = job().split("|", 1)
    total = imported()
    distinct = int(stack.psql(f"SELECT count(DISTINCT sku) FROM catalog_variant WHERE sku LIKE 'IMP-{tag}-%'"))
    assert status == "done", message
    assert total == distinct == rows  # resumed to the end: nothing lost, nothing doubled
    record("worker SIGKILLed mid-import", 1, 0, f"{written} rows at kill; job done, {total} rows, 0 doubled", recovery)


def test_replica_lagging_reads_own_writes_and_revocation_from_the_primary(stack, token):
    """With the real replica frozen (WAL replay paused, i.e. any lag at all): a client that wrote
    reads its write from the primary (browser cookie or bearer token alike), an anonymous read
    shows the replica is really serving and really behind, and a revoked member is refused at once
    because memberships are read from the primary."""
    tag = uuid.uuid4().hex[:8]
    analyst = request(
        "POST", "/api/v1/auth/token", body={"email": "analyst@demo.bazaar.local", "password": st.DEMO_PASSWORD}
    )
    assert analyst.status == 200, analyst.body[:300]
    analyst_auth = {"Authorization": f"Bearer {analyst.json()['access']}"}
    staff_list = "/api/v1/t/demo/catalog/products/"
    assert request("GET", staff_list, headers=analyst_auth).status == 200
    stack.psql("SELECT pg_wal_replay_pause()", port=st.PG_REPLICA_PORT)
    try:
        st.wait_for(
            lambda: stack.psql("SELECT pg_get_wal_replay_pause_state()", port=st.PG_REPLICA_PORT) == "paused",
            timeout=10,
            what="replica replay paused",
        )
        body = {"name": f"Lagged {tag}", "status": "published", "variants": [{"sku": f"LAG-{tag}", "price": "5.00"}]}
        created = request("POST", staff_list, body=body, headers=auth(token))
        assert created.status == 201, created.body[:300]
        product_id = created.json()["id"]
        # The writer's next read (no cookie: a bearer client) sees its write ...
        mine = request("GET", f"{staff_list}{product_id}/", headers=auth(token))
        assert mine.status == 200, mine.body[:300]
        # ... while the replica, which serves everyone else, has not replayed it.
        replica_rows = stack.psql(
            f"SELECT count(*) FROM catalog_product WHERE name = 'Lagged {tag}'", port=st.PG_REPLICA_PORT
        )
        assert replica_rows == "0"
        anonymous = request("GET", f"/api/v1/t/demo/catalog/public/products/?q={tag}")
        assert anonymous.status == 200 and anonymous.json()["results"] == []
        # Revoked through the service (which drops the cached role): refused on the next request,
        # although the replica still lists the membership.
        stack.manage(
            "shell",
            "-c",
            "from apps.accounts.selectors import get_user_by_email; from apps.tenants.models import Tenant; "
            "from apps.tenants.services import leave_tenant; "
            "leave_tenant(tenant=Tenant.objects.get(slug='demo'), "
            "user=get_user_by_email(email='analyst@demo.bazaar.local'))",
        )
        still_on_replica = stack.psql(
            "SELECT count(*) FROM tenants_membership m JOIN accounts_user u ON u.id = m.user_id "
            "WHERE u.email = 'analyst@demo.bazaar.local'",
            port=st.PG_REPLICA_PORT,
        )
        assert still_on_replica == "1"
        revoked = request("GET", staff_list, headers=analyst_auth)
        assert revoked.status == 404, revoked.body[:300]
    finally:
        stack.psql("SELECT pg_wal_replay_resume()", port=st.PG_REPLICA_PORT)
    record(
        "replica lagging (replay paused)",
        6,
        0,
        "writer reads own write (bearer); anonymous read stale; revoked member refused",
        None,
    )


def test_replica_stopped_reads_move_to_the_primary(stack, token):
    tag = uuid.uuid4().hex[:8]
    body = {
        "name": f"Replica check {tag}",
        "status": "published",
        "variants": [{"sku": f"REP-{tag}", "price": "5.00", "stock": 1}],
    }
    created = request("POST", "/api/v1/t/demo/catalog/products/", body=body, headers=auth(token))
    assert created.status == 201
    st.wait_for(
        lambda: (
            stack.psql(
                f"SELECT count(*) FROM catalog_product WHERE name = 'Replica check {tag}'", port=st.PG_REPLICA_PORT
            )
            == "1"
        ),
        timeout=20,
        what="row streamed to the replica",
    )
    stack.pg_stop("pg-replica", mode="fast")
    stopped = time.monotonic()
    statuses = []
    while time.monotonic() - stopped < 4:
        statuses.extend(request("GET", path).status for path in PAGES)
    late = [request("GET", path).status for _ in range(5) for path in PAGES]
    errors = sum(s != 200 for s in statuses)
    assert all(s == 200 for s in late), late  # after the probe interval every read goes to the primary
    assert request("GET", f"/api/v1/t/demo/catalog/public/products/?q={tag}").json()["results"]
    # Written while the replica was away: it must catch up from the primary's WAL once restarted.
    missed = request(
        "POST",
        "/api/v1/t/demo/catalog/products/",
        headers=auth(token),
        body={**body, "name": f"Missed {tag}", "variants": [{"sku": f"MISS-{tag}", "price": "5.00"}]},
    )
    assert missed.status == 201
    started = time.monotonic()
    stack.pg_start("pg-replica", st.PG_REPLICA_PORT)
    st.wait_for(
        lambda: (
            stack.psql(f"SELECT count(*) FROM catalog_product WHERE name = 'Missed {tag}'", port=st.PG_REPLICA_PORT)
            == "1"
        ),
        timeout=30,
        what="replica caught up",
    )
    recovery = time.monotonic() - started
    record(
        "replica stopped, restarted",
        len(statuses) + len(late),
        errors,
        "reads on primary while away; replica caught up the row written meanwhile",
        recovery,
    )


def test_worker_sigkilled_mid_drain_loses_and_doubles_no_event(stack):
    """Entries a killed drain read but did not acknowledge are reclaimed by the next drain."""
    tag = uuid.uuid4().hex[:8]
    batches, per_batch = 600, 40
    script = (
        "import uuid\n"
        "from django.utils import timezone\n"
        "from apps.tenants.models import Tenant\n"
        "from apps.analytics import buffer\n"
        "from apps.analytics.tasks import drain_events\n"
        "tenant = Tenant.objects.get(slug='demo')\n"
        "now = timezone.now().isoformat()\n"
        f"for b in range({batches}):\n"
        "    events = [{'occurred_at': now, 'event_id': str(uuid.uuid4()), 'type': 'page_view', "
        f"'url': '/s/demo/?drain={tag}', 'referrer': '', 'product_ref': '', 'query': '', 'results_count': None, "
        f"'props': {{}}}} for _ in range({per_batch})]\n"
        "    buffer.push_batch(tenant_id=tenant.pk, events=events, "
        "context={'visitor': 'f' * 16, 'user_id': None, 'received_at': now})\n"
        "drain_events.apply_async()\n"
        "print('PUSHED')\n"
    )
    total = batches * per_batch
    count_sql = f"SELECT count(*) FROM analytics_event WHERE url = '/s/demo/?drain={tag}'"
    # Watched while the shell still runs: the drain starts as soon as it is published, and can end
    # before the shell process has even exited.
    pusher = stack.manage_started("shell", "-c", script)
    stack.wait_on_worker(
        lambda: stack.count(count_sql) > 0,
        what="the drain storing",
        timeout=300,
        state=lambda: f"{stack.count(count_sql)} of {total} stored",
    )
    stack.freeze_worker()  # SIGSTOP: nothing more is stored after this instant
    at_kill = stack.count(count_sql)
    stack.kill_worker()
    assert "PUSHED" in pusher.communicate(timeout=120)[0]
    assert 0 < at_kill < total  # killed halfway
    started = time.monotonic()
    stack.worker_start()
    time.sleep(2)  # the reclaim idle time (ANALYTICS_RECLAIM_IDLE_MS=1500) passes
    stack.manage("shell", "-c", "from apps.analytics.tasks import drain_events; drain_events.apply_async()")
    st.wait_for(lambda: int(stack.psql(count_sql)) == total, timeout=120, interval=0.5, what="every event stored")
    recovery = time.monotonic() - started
    distinct = int(
        stack.psql(f"SELECT count(DISTINCT event_id) FROM analytics_event WHERE url = '/s/demo/?drain={tag}'")
    )
    assert distinct == total  # nothing doubled (idempotent insert), nothing lost (reclaimed)
    record(
        "worker SIGKILLed mid-drain", 1, 0, f"{at_kill} of {total} events at kill; all {total} stored once", recovery
    )


def test_load_during_cache_outage_has_no_errors(stack):
    """Concurrent readers while the cache Redis is killed with SIGKILL (no clean shutdown)."""
    errors: list[int] = []
    sent = [0]
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            status = request("GET", "/api/v1/t/demo/catalog/public/products/?limit=5").status
            sent[0] += 1
            if status != 200:
                errors.append(status)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    proc = stack.procs.pop(f"redis-{st.REDIS_CACHE_PORT}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(3)
    stack.redis_start(st.REDIS_CACHE_PORT, evict=True)
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    assert not errors, errors
    record("cache Redis SIGKILLed under load (3 readers)", sent[0], len(errors), "every answer 200", None)
