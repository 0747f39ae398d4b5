"""Analytics benchmark (part of ``make bench``; also runs alone): prints numbers, asserts nothing.

1. Ingestion over loopback: gunicorn serves the app, drainers (``manage.py drain_events``) move the
   stream into PostgreSQL, and an asyncio load generator keeps N concurrent senders (keep-alive
   HTTP/1.1) posting batches of 1, 10 and 50 events. Prints events/s accepted, events/s stored
   (until visible in the table) and request latency p50/p95/p99.
2. The ceiling: COPY of the same number of rows straight into the table, events/s, and the ratio.
3. Dashboards: the 30-day dashboard page (with its sales cards and funnel) and the reports API
   (summary, pages, commerce, funnel, product sales) over a tenant seeded with
   ``BENCH_ANALYTICS_EVENTS`` events (10,000,000 by default; seeding is skipped when present, and
   a seed older than the commerce events is topped up); prints the commerce cards' numbers.

Environment (defaults in brackets): DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE
[config.settings.production], BENCH_ANALYTICS_PORT [a free port], BENCH_ANALYTICS_SENDERS [100,1000],
BENCH_ANALYTICS_BATCHES [1,10,50], BENCH_ANALYTICS_DURATION [15], BENCH_ANALYTICS_DRAINERS [2],
BENCH_ANALYTICS_EVENTS [10000000], BENCH_ANALYTICS_SKIP_INGEST, BENCH_ANALYTICS_SKIP_DASHBOARD.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from bench.serving import start_gunicorn, stop_process  # noqa: E402

os.environ.setdefault("ANALYTICS_RATE_IP_REQUESTS_PER_MIN", "1000000000")
os.environ.setdefault("ANALYTICS_RATE_TENANT_EVENTS_PER_MIN", "1000000000")
os.environ.setdefault("ANALYTICS_RATE_IP_EVENTS_PER_MIN", "1000000000")
os.environ.setdefault("ANALYTICS_RATE_VISITOR_EVENTS_PER_MIN", "1000000000")
PY = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    """A free loopback port (another bench may hold a fixed one)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_ANALYTICS_PORT") or free_port())
SENDERS = [int(x) for x in os.environ.get("BENCH_ANALYTICS_SENDERS", "100,1000").split(",")]
BATCHES = [int(x) for x in os.environ.get("BENCH_ANALYTICS_BATCHES", "1,10,50").split(",")]
DURATION = float(os.environ.get("BENCH_ANALYTICS_DURATION", "15"))
DRAINERS = int(os.environ.get("BENCH_ANALYTICS_DRAINERS", "2"))
SEED_EVENTS = int(os.environ.get("BENCH_ANALYTICS_EVENTS", "10000000"))
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def log(message: str) -> None:
    print(f"[analytics-bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def setup_django():
    import django

    django.setup()


def ensure_tenant(slug: str):
    """A tenant with an owner (created through the services) and its analytics settings."""
    from apps.accounts.selectors import get_user_by_email
    from apps.accounts.services import create_user
    from apps.analytics import services
    from apps.tenants.access import get_public_tenant
    from apps.tenants.services import create_tenant

    email = f"owner@{slug}.bench"
    user = get_user_by_email(email=email) or create_user(email=email, password=uuid.uuid4().hex, email_verified=True)
    try:
        tenant = get_public_tenant(slug=slug)
    except Exception:  # noqa: BLE001 - Http404: not created yet
        tenant = create_tenant(user=user, name=slug.title(), slug=slug, time_zone="Europe/Paris")
    services.get_or_create_settings(tenant=tenant)
    return tenant, user


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# --- load generator ------------------------------------------------------------------------------


async def sender(path: str, key: str, batch: int, stop_at: float, stats: dict) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    try:
        while time.perf_counter() < stop_at:
            now = datetime.now(tz=UTC).isoformat()
            events = [
                {"event_id": str(uuid.uuid4()), "type": "page_view", "occurred_at": now, "url": "/s/bench/"}
                for _ in range(batch)
            ]
            body = json.dumps({"key": key, "sent_at": now, "events": events}).encode()
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                f"User-Agent: {UA}\r\nContent-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            writer.write(head + body)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionError("closed")
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
                if name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            payload = await reader.readexactly(length) if length else b""
            stats["latencies"].append(time.perf_counter() - started)
            status = int(status_line.split()[1])
            if status == 202:
                stats["accepted"] += json.loads(payload)["accepted"]
            else:
                stats["errors"] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    except (ConnectionError, asyncio.IncompleteReadError, OSError):
        stats["errors"] += 1
    finally:
        writer.close()


async def drive(path: str, key: str, senders: int, batch: int) -> dict:
    stats = {"latencies": [], "accepted": 0, "errors": 0}
    stop_at = time.perf_counter() + DURATION
    tasks = []
    for index in range(senders):
        tasks.append(asyncio.create_task(sender(path, key, batch, stop_at, stats)))
        if index % 50 == 49:
            await asyncio.sleep(0.05)  # open connections gradually
    await asyncio.gather(*tasks)
    return stats


def start_drainers() -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [PY, "manage.py", "drain_events", "--consumer", f"bench-{index}", "--batch", "200"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        for index in range(DRAINERS)
    ]


def bench_ingest(tenant) -> list[dict]:
    from apps.analytics import buffer, event_store, services

    key, _ = services.ingest_config(tenant=tenant)
    path = f"/api/v1/t/{tenant.slug}/analytics/events"
    results = []
    server = start_gunicorn(PORT)
    drainers = start_drainers()
    try:
        for senders in SENDERS:
            for batch in BATCHES:
                before = event_store.count_events(tenant_id=tenant.pk)
                started = time.perf_counter()
                stats = asyncio.run(drive(path, key, senders, batch))
                sent_for = time.perf_counter() - started
                target = before + stats["accepted"]
                deadline = time.perf_counter() + 300
                while event_store.count_events(tenant_id=tenant.pk) < target and time.perf_counter() < deadline:
                    time.sleep(0.25)
                stored_after = time.perf_counter() - started
                stored = event_store.count_events(tenant_id=tenant.pk) - before
                lat = stats["latencies"]
                row = {
                    "senders": senders,
                    "batch": batch,
                    "requests": len(lat),
                    "errors": stats["errors"],
                    "accepted_eps": stats["accepted"] / sent_for,
                    "stored_eps": stored / stored_after,
                    "p50_ms": 1000 * percentile(lat, 0.50),
                    "p95_ms": 1000 * percentile(lat, 0.95),
                    "p99_ms": 1000 * percentile(lat, 0.99),
                    "backlog": buffer.stream_length(),
                }
                results.append(row)
                log(
                    f"senders={senders:5d} batch={batch:3d} requests={row['requests']:7d} errors={row['errors']:4d} "
                    f"accepted={row['accepted_eps']:9.0f} ev/s stored={row['stored_eps']:9.0f} ev/s "
                    f"p50={row['p50_ms']:.1f} ms p95={row['p95_ms']:.1f} ms p99={row['p99_ms']:.1f} ms"
                )
    finally:
        for process in (server, *drainers):
            stop_process(process)
    return results


def bench_copy(tenant, rows_count: int) -> float:
    """Events/s of COPY straight into the event table (the ceiling of this PostgreSQL)."""
    from django.db import transaction

    from apps.analytics import event_store

    now = datetime.now(tz=UTC)
    rows = [
        (tenant.pk, now, uuid.uuid4(), now, "page_view", "v" * 32, None, "/s/bench/", "", "", None, "", None, {})
        for _ in range(rows_count)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        event_store.copy_rows(rows)
    elapsed = time.perf_counter() - started
    return rows_count / elapsed


def bench_dashboard(slug: str) -> dict:
    from django.test import Client

    from apps.analytics import event_store

    tenant, owner = ensure_tenant(slug)
    present = event_store.count_events(tenant_id=tenant.pk)
    if present < SEED_EVENTS:
        log(f"seeding {SEED_EVENTS:,} events into {slug} (COPY + rollups)")
        subprocess.run(
            [PY, "manage.py", "seed_events", "--tenant", slug, "--events", str(SEED_EVENTS - present), "--days", "30"],
            cwd=ROOT,
            check=True,
        )
    if not event_store.count_events(tenant_id=tenant.pk, event_type="purchase"):
        # Seeded before synthetic traffic made commerce events: top up so the sales cards have data.
        extra = max(SEED_EVENTS // 10, 1000)
        log(f"no purchase events in {slug}: seeding {extra:,} more events (with commerce events)")
        subprocess.run(
            [PY, "manage.py", "seed_events", "--tenant", slug, "--events", str(extra), "--days", "30"],
            cwd=ROOT,
            check=True,
        )
    total = event_store.count_events(tenant_id=tenant.pk)
    client = Client(SERVER_NAME="localhost")
    client.force_login(owner)
    timings = {}
    for label, url in [
        ("dashboard 30d", f"/a/{slug}/analytics/?period=30d"),
        ("dashboard 7d", f"/a/{slug}/analytics/?period=7d"),
        ("api summary 30d", f"/api/v1/t/{slug}/analytics/reports/summary?period=30d"),
        ("api pages 30d", f"/api/v1/t/{slug}/analytics/reports/pages?period=30d"),
        ("api commerce 30d", f"/api/v1/t/{slug}/analytics/reports/commerce?period=30d"),
        ("api funnel 30d", f"/api/v1/t/{slug}/analytics/reports/funnel?period=30d"),
        ("api sales 30d", f"/api/v1/t/{slug}/analytics/reports/product-sales?period=30d"),
    ]:
        started = time.perf_counter()
        client.get(url, secure=True)  # the first request pays connection setup and cold caches
        cold = 1000 * (time.perf_counter() - started)
        samples = []
        for _ in range(15):
            started = time.perf_counter()
            response = client.get(url, secure=True)
            samples.append(1000 * (time.perf_counter() - started))
            assert response.status_code == 200, (url, response.status_code)
        timings[label] = {"cold_ms": cold, "median_ms": statistics.median(samples), "p95_ms": percentile(samples, 0.95)}
        median, p95 = timings[label]["median_ms"], timings[label]["p95_ms"]
        log(f"{label:16s} over {total:,} events: first {cold:.1f} ms, then median {median:.1f} ms, p95 {p95:.1f} ms")
    page = client.get(f"/a/{slug}/analytics/?period=30d", secure=True).content.decode()
    assert 'data-metric="revenue"' in page and 'id="report-funnel"' in page, "the dashboard lacks its sales cards"
    sales = client.get(f"/api/v1/t/{slug}/analytics/reports/commerce?period=30d", secure=True).json()
    funnel = client.get(f"/api/v1/t/{slug}/analytics/reports/funnel?period=30d", secure=True).json()
    cards = sales["totals"]
    log(
        f"commerce cards 30d: revenue {cards['revenue']} {sales['currency']}, {cards['orders']:,} orders, "
        f"AOV {cards['average_order_value']}, conversion {cards['conversion_rate']}% of {cards['sessions']:,} sessions"
    )
    log("funnel 30d: " + " -> ".join(f"{step['step']} {step['count']:,}" for step in funnel["steps"]))
    return {"events": total, "timings": timings, "commerce": cards, "funnel": funnel["steps"]}


def main() -> None:
    setup_django()
    from apps.analytics import event_store

    today = datetime.now(tz=UTC).date()
    event_store.ensure_partitions(first=today - timedelta(days=40), last=today + timedelta(days=40))
    report = {"machine": f"{os.cpu_count()} CPUs", "started": datetime.now(UTC).isoformat()}
    if not os.environ.get("BENCH_ANALYTICS_SKIP_INGEST"):
        tenant, _ = ensure_tenant("bench-ingest")
        report["ingest"] = bench_ingest(tenant)
        best_stored = max(row["stored_eps"] for row in report["ingest"])
        copy_rows = 200_000
        ceiling = bench_copy(tenant, copy_rows)
        report["copy_eps"] = ceiling
        log(
            f"COPY ceiling: {ceiling:,.0f} ev/s ({copy_rows:,} rows); best stored via HTTP: {best_stored:,.0f} ev/s "
            f"= {100 * best_stored / ceiling:.1f}% of the ceiling"
        )
    if not os.environ.get("BENCH_ANALYTICS_SKIP_DASHBOARD"):
        report["dashboard"] = bench_dashboard("bench-analytics")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "analytics-latest.json").write_text(json.dumps(report, indent=2, default=str))
    log(f"results in {out / 'analytics-latest.json'}")


if __name__ == "__main__":
    main()
