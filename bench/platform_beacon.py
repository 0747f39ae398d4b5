"""10,000 concurrent storefront visitors sending analytics beacons (issue 15, item 4).

wrk opens ``BENCH_BEACON_CONNECTIONS`` (10,000) keep-alive connections to gunicorn and runs
``wrk_beacon_10k.lua``: each connection posts one event, waits for the answer, pauses
``BENCH_BEACON_DELAY_MS`` (5,000, jittered +/-50 %) and goes again (closed loop). For each serving
model in ``BENCH_BEACON_MODELS`` it prints accepted events/s, p50/p99, errors and timeouts, and
the open file descriptors and memory of each worker (sampled during the run). Printed, not asserted.
Called by ``platform_bench.py``; alone: ``python bench/platform_beacon.py`` (large database env).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONNECTIONS = int(os.environ.get("BENCH_BEACON_CONNECTIONS", "10000"))
DURATION = int(os.environ.get("BENCH_BEACON_DURATION", "40"))
DELAY_MS = int(os.environ.get("BENCH_BEACON_DELAY_MS", "5000"))
PORT = int(os.environ.get("BENCH_PLATFORM_PORT", "18410")) + 2
# name -> gunicorn arguments added to config/gunicorn.py (gthread, 2 workers x 8 threads).
MODELS = {
    "gthread-default": [],  # worker_connections 1000 per worker, keep-alive 5 s
    "gthread-10k": ["--worker-connections", "6000", "--keep-alive", "20", "--backlog", "8192"],  # env: GUNICORN_*
}
CHOSEN = [m for m in os.environ.get("BENCH_BEACON_MODELS", "gthread-default,gthread-10k").split(",") if m]


def raise_file_limit() -> int:
    """Lift this process's (and so its children's) open-file limit to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def ensure_wrk() -> str:
    """The wrk binary; installs Debian's package if it is missing."""
    found = shutil.which("wrk")
    if not found:
        print("  installing wrk (apt-get install -y wrk)", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    return found


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def sample_workers(master: int, stop: threading.Event, peaks: dict) -> None:
    """Record each worker's peak open descriptors and resident memory until ``stop``."""
    while not stop.wait(1.0):
        for pid in worker_pids(master):
            try:
                fds = len(os.listdir(f"/proc/{pid}/fd"))
                rss = next(
                    int(line.split()[1])
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmRSS")
                )
            except (OSError, StopIteration):
                continue
            peak = peaks.setdefault(pid, {"fds": 0, "rss_kib": 0})
            peak["fds"], peak["rss_kib"] = max(peak["fds"], fds), max(peak["rss_kib"], rss)


def parse_wrk(text: str) -> dict:
    """Requests, rate, latency percentiles, socket errors and non-2xx answers from wrk's report."""
    out = {"requests": 0, "non2xx": 0, "connect": 0, "read": 0, "write": 0, "timeout": 0}
    if m := re.search(r"(\d+) requests in ([\d.]+)(\w+)", text):
        out["requests"] = int(m.group(1))
    for pct in ("50", "99"):
        if m := re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)", text, re.M):
            value = float(m.group(1))
            out[f"p{pct}_ms"] = value / 1000 if m.group(2) == "us" else value * 1000 if m.group(2) == "s" else value
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        out.update(connect=int(m.group(1)), read=int(m.group(2)), write=int(m.group(3)), timeout=int(m.group(4)))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        out["non2xx"] = int(m.group(1))
    return out


def measure_capacity(wrk: str, target: dict) -> None:
    """What the server takes right now with 32 busy connections and no pause: the ingest path and
    the bare floor, in the same minute as the 10,000-connection run."""
    lua = str(ROOT / "bench" / "wrk_beacon_10k.lua")
    for label, args in (
        ("floor GET /bench/floor", [f"http://127.0.0.1:{PORT}/bench/floor"]),
        ("beacon", ["-s", lua, f"http://127.0.0.1:{PORT}"]),
    ):
        done = subprocess.run(
            [wrk, "-t2", "-c32", "-d10s", "--latency", *args],
            env={**os.environ, "BEACON_PATH": target["path"], "BEACON_KEY": target["key"], "BEACON_DELAY_MS": "0"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        r = parse_wrk(done.stdout)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        per_second = float(rate.group(1)) if rate else 0.0
        print(
            f"    capacity now, 32 connections, no pause: {label} {per_second:.0f}/s, p99 {r.get('p99_ms', 0):.0f} ms"
        )


def run_model(name: str, env: dict, target: dict, wrk: str) -> None:
    from bench.platform_bench import load, start_server, stop

    server = start_server({**env, "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "8"}, PORT, extra=MODELS[name])
    stop_sampling, peaks = threading.Event(), {}
    sampler = threading.Thread(target=sample_workers, args=(server.pid, stop_sampling, peaks), daemon=True)
    try:
        print(f"  [{load()}] {name}: {CONNECTIONS} connections, {DURATION} s, pause {DELAY_MS} ms +/-50 %", flush=True)
        if name == CHOSEN[-1]:
            measure_capacity(wrk, target)
        sampler.start()
        started = time.perf_counter()
        done = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{DURATION}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                str(ROOT / "bench" / "wrk_beacon_10k.lua"),
                f"http://127.0.0.1:{PORT}",
            ],
            env={
                **os.environ,
                "BEACON_PATH": target["path"],
                "BEACON_KEY": target["key"],
                "BEACON_DELAY_MS": str(DELAY_MS),
            },
            capture_output=True,
            text=True,
            timeout=DURATION + 120,
        )
        elapsed = time.perf_counter() - started
    finally:
        stop_sampling.set()
        stop(server)
    r = parse_wrk(done.stdout)
    good = r["requests"] - r["non2xx"]
    offered = CONNECTIONS / (DELAY_MS / 1000)
    print(
        f"    accepted {good / elapsed:7.1f} events/s (offered up to {offered:.0f}/s); "
        f"p50 {r.get('p50_ms', float('nan')):.0f} ms, "
        f"p99 {r.get('p99_ms', float('nan')):.0f} ms; non-2xx {r['non2xx']}; socket errors connect {r['connect']}, "
        f"read {r['read']}, write {r['write']}, timeout {r['timeout']}"
    )
    for pid, peak in sorted(peaks.items()):
        print(f"    worker {pid}: peak {peak['fds']} open fds, {peak['rss_kib'] // 1024} MiB RSS")
    if done.returncode != 0:
        print(f"    wrk exit {done.returncode}: {done.stderr.strip()[-300:]}")


def run(env: dict) -> None:
    """Every chosen serving model against the database in ``env``."""
    from bench.platform_bench import probe

    limit = raise_file_limit()
    wrk = ensure_wrk()
    target = probe(env, "ingest-target")
    env = {
        **env,
        "ANALYTICS_RATE_IP_REQUESTS_PER_MIN": "1000000000",
        "ANALYTICS_RATE_TENANT_EVENTS_PER_MIN": "1000000000",
    }
    print(f"\n  10,000 visitors: wrk closed loop over loopback, one event per beacon, open-file limit {limit}")
    for name in CHOSEN:
        run_model(name, env, target, wrk)


if __name__ == "__main__":
    from bench.platform_bench import LARGE_URL, server_env

    run(server_env(LARGE_URL, "platform-large"))
