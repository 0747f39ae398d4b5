"""The closed-loop section of ``make bench``: wrk against gunicorn, each connection sending its next
request as soon as the last is answered, so the figures are the server's capacity, not an offered
load. For 8 and 64 connections, each page kind warm (a pool of 100 URLs fetched once before) and
cold (the cache flushed, a pool of 2,000+ distinct URLs walked without repeats), and analytics
ingest (one event per request): each row is preceded by the floor (``/bench/floor``) measured
right before it on the same server, and printed as a ratio to that floor. Then 1,000 open
connections on warm pages (errors, timeouts) and the memory of each worker.

Run by bench/run.sh with the environment it sets; alone: ``bash bench/run.sh`` with
``BENCH_ONLY=closed_loop``. Knobs: ``BENCH_QUICK=1`` (about 2 minutes: 8 connections, short rows),
``BENCH_WRK_SECONDS`` (15), ``BENCH_WRK_FLOOR_SECONDS`` (5), ``BENCH_WRK_CONNECTIONS`` (8,64),
``BENCH_WRK_KINDS`` (a subset of home,category,search,product,api_list,ingest),
``BENCH_WRK_PORT`` (8766), ``BENCH_BEFORE_ROOT`` (a second source tree, e.g. ``git archive`` of the
previous commit: every row is then also run against it right after, for a same-minute before/after).
Writes bench/results/closed_loop.{md,json} and the table into docs/performance.md.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.driver import machine  # noqa: E402
from bench.serving import start_gunicorn, stop_process  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PY = str(ROOT / ".venv" / "bin" / "python")
QUICK = os.environ.get("BENCH_QUICK") == "1"
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "6" if QUICK else "15"))
FLOOR_SECONDS = int(os.environ.get("BENCH_WRK_FLOOR_SECONDS", "3" if QUICK else "5"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_WRK_CONNECTIONS", "8" if QUICK else "8,64").split(",")]
KINDS = os.environ.get("BENCH_WRK_KINDS", "home,category,search,product,api_list,ingest").split(",")
PORT = int(os.environ.get("BENCH_WRK_PORT", "8766"))
BEFORE_ROOT = os.environ.get("BENCH_BEFORE_ROOT", "")
SLUG = os.environ.get("BENCH_TENANT", "bench")
WARM_POOL = 100
THREADS = 2  # wrk threads: one per core of this machine


def log(message: str) -> None:
    print(f"[closed-loop {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def start_server(root: Path, port: int) -> subprocess.Popen:
    """gunicorn from ``root`` on loopback ``port`` with the environment bench/run.sh set."""
    env = {
        "ANALYTICS_RATE_IP_REQUESTS_PER_MIN": "1000000000",  # wrk sends every request from 127.0.0.1
        "ANALYTICS_RATE_TENANT_EVENTS_PER_MIN": "1000000000",
        **os.environ,
        "PYTHONPATH": str(root),
    }
    log_path = RESULTS / f"closed_loop_gunicorn_{port}.log"
    return start_gunicorn(port, env=env, root=root, log_path=log_path, ready_path="/bench/floor")


def worker_memory(server: subprocess.Popen) -> list[float]:
    """Resident memory (MiB) of each gunicorn worker of ``server``."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(server.pid):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def flush_cache() -> None:
    code = "import django; django.setup(); from django.core.cache import cache; cache.clear()"
    subprocess.run([PY, "-c", code], check=True, cwd=ROOT)


def fetch_all(port: int, paths: list[str]) -> None:
    for path in paths:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
                response.read()
        except OSError as exc:
            log(f"  warm-up {path}: {exc}")


def ingest_key() -> str:
    code = (
        "import django; django.setup(); from apps.tenants.models import Tenant; "
        "from apps.analytics import services; "
        f"print(services.ingest_config(tenant=Tenant.objects.get(slug={SLUG!r}))[0])"
    )
    return subprocess.run([PY, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True).stdout.strip()


def run_wrk(port: int, script: str, seconds: int, connections: int, env: dict) -> dict:
    """One wrk run; its JSON summary line plus rps and error totals."""
    command = [
        "wrk",
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / script),
        f"http://127.0.0.1:{port}/",
    ]
    full_env = {**os.environ, "WRK_THREADS": str(min(THREADS, connections)), **env}
    out = subprocess.run(command, env=full_env, capture_output=True, text=True, check=False).stdout
    line = next((line for line in out.splitlines() if line.startswith('{"requests"')), None)
    if line is None:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    stats = json.loads(line)
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    stats["errors"] = sum(stats[k] for k in ("connect", "read", "write", "status", "timeout"))
    return stats


def pool_file(paths: list[str]) -> str:
    handle = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, dir=RESULTS)  # noqa: SIM115
    handle.write("\n".join(paths) + "\n")
    handle.close()
    return handle.name


def measure_row(port: int, kind: str, state: str, connections: int, pools: dict, key: str) -> dict:
    """Floor, then the row, on the server at ``port``."""
    load = os.getloadavg()[0]
    floor_env = {"WRK_URLS": pool_file(pools["floor"])}
    floor = run_wrk(port, "wrk_pool.lua", FLOOR_SECONDS, connections, floor_env)
    if kind == "ingest":
        env = {"WRK_INGEST_PATH": f"/api/v1/t/{SLUG}/analytics/events", "WRK_INGEST_KEY": key}
        stats = run_wrk(port, "wrk_ingest.lua", SECONDS, connections, env)
    else:
        paths = pools[kind][:WARM_POOL] if state == "warm" else pools[kind][WARM_POOL:]
        if state == "cold":
            flush_cache()
        else:
            fetch_all(port, paths)
        stats = run_wrk(port, "wrk_pool.lua", SECONDS, connections, {"WRK_URLS": pool_file(paths)})
        stats["pool"] = len(paths)
    return {"kind": kind, "state": state, "connections": connections, "load": load, "floor_rps": floor["rps"], **stats}


def format_row(row: dict) -> str:
    ratio = row["rps"] / row["floor_rps"] if row["floor_rps"] else 0
    return (
        f"| {row['kind']} | {row['state']} | {row.get('tree', 'this')} | {row['connections']} | {row['load']:.1f} | "
        f"{row['rps']:,.0f} | {row['floor_rps']:,.0f} | {ratio:.2f} | {row['p50_us'] / 1000:.0f} | "
        f"{row['p99_us'] / 1000:.0f} | {row['errors']}/{row['requests']} | {row.get('pool', '-')} |"
    )


def plan() -> list[tuple[str, str, int]]:
    rows = []
    for connections in CONNECTIONS:
        for kind in KINDS:
            for state in ["warm"] if kind == "ingest" else ["warm", "cold"]:
                rows.append((kind, state, connections))
    return rows


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    RESULTS.mkdir(parents=True, exist_ok=True)
    pools = json.loads(
        subprocess.run(
            [PY, str(ROOT / "bench" / "wrk_pools.py"), SLUG], check=True, cwd=ROOT, capture_output=True, text=True
        ).stdout
    )
    key = ingest_key()
    profile = query_profile(pools)
    servers = {"this": (start_server(ROOT, PORT), PORT)}
    if BEFORE_ROOT:
        servers["before"] = (start_server(Path(BEFORE_ROOT), PORT + 1), PORT + 1)
    rows, memory, open_rows = [], {}, []
    try:
        for kind, state, connections in plan():
            for tree, (_server, port) in servers.items():
                row = {**measure_row(port, kind, state, connections, pools, key), "tree": tree}
                rows.append(row)
                log(format_row(row))
        if not QUICK:
            for kind in ("product", "home"):
                paths = pools[kind][:WARM_POOL]
                fetch_all(PORT, paths)
                stats = run_wrk(PORT, "wrk_pool.lua", SECONDS, 1000, {"WRK_URLS": pool_file(paths)})
                open_rows.append({"kind": kind, "load": os.getloadavg()[0], **stats})
                log(f"1,000 connections {kind}: {stats['rps']:.0f} rps, errors {stats['errors']}")
        memory = {tree: worker_memory(server) for tree, (server, _port) in servers.items()}
    finally:
        for server, _port in servers.values():
            stop_process(server)
        for leftover in RESULTS.glob("tmp*.txt"):
            leftover.unlink()
    report(rows, open_rows, memory, profile)


def query_profile(pools: dict) -> dict:
    """bench/query_profile.py over the pools: cold page time and the slowest statements."""
    pools_path = RESULTS / "closed_loop_pools.json"
    pools_path.write_text(json.dumps(pools))
    result = subprocess.run(
        [PY, str(ROOT / "bench" / "query_profile.py"), str(pools_path)], cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        log(f"query profile failed: {result.stderr[-500:]}")
        return {}
    profile = json.loads(result.stdout)
    for kind, data in profile.items():
        log(f"cold {kind}: {data['page_ms']} ms, {data['queries']} queries in-process")
        for statement in data["slowest"]:
            log(f"    {statement['avg_ms']:>7} ms ({statement['share']:.0%})  {statement['sql']}")
    return profile


def report(rows: list[dict], open_rows: list[dict], memory: dict, profile: dict | None = None) -> None:
    lines = [
        f"Closed loop, run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; wrk ({THREADS} threads) on the "
        f"same cores as gunicorn ({os.environ.get('WEB_CONCURRENCY', '2')} workers x "
        f"{os.environ.get('GUNICORN_THREADS', '8')} threads), PostgreSQL and Redis; {SECONDS} s per row, the floor "
        f"{FLOOR_SECONDS} s right before each row on the same server{' (BENCH_QUICK)' if QUICK else ''}. "
        "Load = 1-minute load average before the row (other work on the machine shows up there).",
        "",
        "| page | cache | code | conns | load | rps | floor rps | ratio | p50 ms | p99 ms | errors | pool |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[format_row(row) for row in rows],
    ]
    for row in open_rows:
        lines.append(
            f"\n1,000 connections, {row['kind']} warm: {row['rps']:,.0f} rps, p99 {row['p99_us'] / 1000:.0f} ms, "
            f"errors {row['errors']} (timeouts {row['timeout']}) of {row['requests']}, load {row['load']:.1f} before."
        )
    for tree, sizes in memory.items():
        lines.append(f"\nWorker memory ({tree}): " + ", ".join(f"{size:.0f} MiB" for size in sizes) + " RSS.")
    if profile:
        lines.append(
            "\nCold pages in-process (cache flushed before each of 4 URLs; slowest statement, share of page time):\n"
        )
        for kind, data in profile.items():
            top = data["slowest"][0] if data["slowest"] else {"sql": "-", "avg_ms": 0, "share": 0}
            lines.append(
                f"- {kind}: {data['page_ms']} ms, {data['queries']} queries; slowest {top['avg_ms']} ms "
                f"({top['share']:.0%}): `{top['sql'][:70]}`"
            )
    table = "\n".join(lines)
    print("\n" + table + "\n", flush=True)
    (RESULTS / "closed_loop.md").write_text(table + "\n")
    (RESULTS / "closed_loop.json").write_text(json.dumps({"rows": rows, "open": open_rows, "memory": memory}, indent=2))
    doc = ROOT / "docs" / "performance.md"
    start, end = "<!-- wrk:start -->", "<!-- wrk:end -->"
    text = doc.read_text() if doc.exists() else ""
    if start in text and end in text and not QUICK and not BEFORE_ROOT:
        head, rest = text.split(start, 1)
        doc.write_text(f"{head}{start}\n{table}\n{end}{rest.split(end, 1)[1]}")
        log("wrote the table into docs/performance.md")


if __name__ == "__main__":
    main()
