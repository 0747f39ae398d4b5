"""The benchmark driver behind ``make bench`` (bench/run.sh sets the environment and calls it).

Starts gunicorn with production settings (+ the floor view) on loopback, then for each scenario,
cache state and user count runs locust headless, and prints p50/p95/p99 latency, requests per
second and the ratio of each endpoint's throughput to the floor's. Writes the table to
bench/results/latest.md and into docs/performance.md between the bench markers.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench.serving import start_gunicorn, stop_process

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_DURATION", "20s")
USERS = [int(u) for u in os.environ.get("BENCH_USERS", "100,1000").split(",")]
WARM_POOL = int(os.environ.get("BENCH_WARM_POOL", "60"))
# (label, locust user class, cache states). The floor has no cache.
SCENARIOS = [
    ("floor", "FloorUser", ["-"]),
    ("category", "CategoryUser", ["cold", "warm"]),
    ("search", "SearchUser", ["cold", "warm"]),
    ("product", "ProductUser", ["cold", "warm"]),
    ("api_list", "ApiListUser", ["cold", "warm"]),
    ("api_retrieve", "ApiRetrieveUser", ["cold", "warm"]),
]


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def flush_cache() -> None:
    subprocess.run(
        [PY, "-c", "import django; django.setup(); from django.core.cache import cache; cache.clear()"],
        check=True,
        cwd=ROOT,
    )


def fetch(path: str) -> int:
    with urllib.request.urlopen(HOST + path, timeout=30) as response:  # noqa: S310 (loopback)
        response.read()
        return response.status


def run_locust(user_class: str, users: int, urls: Path, pool_size: int, tag: str) -> dict:
    prefix = RESULTS / tag
    env = {**os.environ, "BENCH_URLS": str(urls), "BENCH_POOL_SIZE": str(pool_size)}
    spawn = str(max(10, users // 5))
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        user_class,
        "--headless",
        "-u",
        str(users),
        "-r",
        spawn,
        "-t",
        DURATION,
        "--host",
        HOST,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
    ]
    subprocess.run(command, env=env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv") as fh:
        rows = {row["Name"]: row for row in csv.DictReader(fh)}
    row = rows.get("Aggregated") or next(iter(rows.values()))
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"] or 0),
        "p95": float(row["95%"] or 0),
        "p99": float(row["99%"] or 0),
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} vCPU {cpu}{mem}, {system}, Python {platform.python_version()}"


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    slug = os.environ.get("BENCH_TENANT", "bench")
    urls = RESULTS / "urls.json"
    urls.write_text(
        subprocess.run(
            [PY, str(ROOT / "bench" / "make_urls.py"), slug], check=True, cwd=ROOT, capture_output=True, text=True
        ).stdout
    )
    pools = json.loads(urls.read_text())
    workers, threads = os.environ.get("WEB_CONCURRENCY", "2"), os.environ.get("GUNICORN_THREADS", "8")
    log(f"starting gunicorn ({workers} workers x {threads} threads) on {HOST}")
    server = start_gunicorn(PORT, log_path=RESULTS / "gunicorn.log", ready_path="/bench/floor")
    results = []
    load_before = os.getloadavg()[0]
    try:
        for users in USERS:
            for label, user_class, states in SCENARIOS:
                for state in states:
                    if state == "cold":
                        flush_cache()
                        pool_size = 0
                    elif state == "warm":
                        pool_size = WARM_POOL
                        for path in pools[label][:pool_size]:
                            fetch(path)
                    else:
                        pool_size = 0
                    log(f"{label:<13} {state:<5} {users:>5} users for {DURATION}")
                    stats = run_locust(user_class, users, urls, pool_size, f"{label}-{state}-{users}")
                    results.append({"endpoint": label, "cache": state, "users": users, **stats})
                    log(
                        f"  -> {stats['rps']:.1f} rps  p50 {stats['p50']:.0f} ms  p95 {stats['p95']:.0f} ms  "
                        f"p99 {stats['p99']:.0f} ms  failures {stats['failures']}/{stats['requests']}"
                    )
    finally:
        stop_process(server)
    report(results, load_before=load_before, load_after=os.getloadavg()[0])


def report(results: list[dict], *, load_before: float = 0.0, load_after: float = 0.0) -> None:
    floors = {r["users"]: r["rps"] for r in results if r["endpoint"] == "floor"}
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; load generator on the same machine; "
        f"{DURATION} per row, 1–5 s think time; 1-minute load average {load_before:.1f} before, "
        f"{load_after:.1f} after (other work on the machine shows up here).",
        "",
        "| endpoint | cache | users | rps | ratio to floor | p50 ms | p95 ms | p99 ms | failures |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        floor = floors.get(r["users"]) or 0
        ratio = f"{r['rps'] / floor:.2f}" if floor else "-"
        lines.append(
            f"| {r['endpoint']} | {r['cache']} | {r['users']} | {r['rps']:.1f} | {ratio} | {r['p50']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {r['failures']}/{r['requests']} |"
        )
    table = "\n".join(lines)
    print("\n" + table + "\n")
    (RESULTS / "latest.md").write_text(table + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    doc = ROOT / "docs" / "performance.md"
    if doc.exists():
        text = doc.read_text()
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            _, tail = rest.split(end, 1)
            doc.write_text(f"{head}{start}\n{table}\n{end}{tail}")
            log("wrote the table into docs/performance.md")


if __name__ == "__main__":
    sys.exit(main())
