"""Platform benchmark (issue 15; part of ``make bench``, alone: ``make bench-platform``).

Builds (once; ``seed_platform`` is idempotent) a large platform (100,000 users, 10,000 tenants)
and a small one (10 tenants) in two databases, serves each with its own gunicorn, and sends the
same requests to both in turn, so every large/small pair is measured in the same seconds on this
shared machine. Prints p50/p95 per row, the large/small ratio (goal: within 1.5x), and the load
average before each row. Then the in-process rows (membership resolution, GDPR export/erasure of
a user in 300 tenants), ``migrate`` of a no-op migration, and the 10,000-connection beacon run
(``platform_beacon.py``). Prints numbers, asserts nothing.

Knobs: BENCH_PLATFORM_USERS [100000], BENCH_PLATFORM_TENANTS [10000], BENCH_PLATFORM_SMALL_USERS
[1000], BENCH_PLATFORM_SAMPLES [30], BENCH_PLATFORM_DATABASE_URL, BENCH_PLATFORM_SMALL_DATABASE_URL,
BENCH_PLATFORM_REDIS_URL [redis db 14], BENCH_PLATFORM_PORT [18410, small +1],
BENCH_PLATFORM_SKIP_BEACON=1, BENCH_PLATFORM_ONLY=<label substring> (just those HTTP rows),
plus the beacon's own (see platform_beacon.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.platform_http import Target, issue_token, refresh_token, summary, time_pairs, walk_pages  # noqa: E402
from bench.serving import start_gunicorn, stop_process  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
PG = "postgres://postgres@127.0.0.1:5432/"
LARGE_URL = os.environ.get("BENCH_PLATFORM_DATABASE_URL", PG + "bazaar_bench_scale")
SMALL_URL = os.environ.get("BENCH_PLATFORM_SMALL_DATABASE_URL", PG + "bazaar_bench_scale_small")
REDIS = os.environ.get("BENCH_PLATFORM_REDIS_URL", "redis://127.0.0.1:6379/14")
USERS = int(os.environ.get("BENCH_PLATFORM_USERS", "100000"))
TENANTS = int(os.environ.get("BENCH_PLATFORM_TENANTS", "10000"))
SMALL_USERS = int(os.environ.get("BENCH_PLATFORM_SMALL_USERS", "1000"))
SAMPLES = int(os.environ.get("BENCH_PLATFORM_SAMPLES", "30"))
PORT = int(os.environ.get("BENCH_PLATFORM_PORT", "18410"))
# Seeded names are encrypted: both databases are seeded and served with this bench-only key.
BENCH_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"bazaar-platform-bench-only").digest()).decode()
LOOSE = "1000000/min"


def log(message: str) -> None:
    print(f"[platform-bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def server_env(database_url: str, prefix: str) -> dict[str, str]:
    """Production settings (bench URLconf) on this database, throttles out of the way."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "FIELD_ENCRYPTION"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="bench.platform_settings",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS,
        TOKEN_STORE_URL=REDIS,
        CACHE_KEY_PREFIX=prefix,
        CELERY_TASK_ALWAYS_EAGER="true",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "platform-bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        FIELD_ENCRYPTION_KEYS=BENCH_KEY,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        GUNICORN_MAX_REQUESTS="0",
        THROTTLE_ANON=LOOSE,
        THROTTLE_USER=LOOSE,
        THROTTLE_AUTH=LOOSE,
        AXES_FAILURE_LIMIT="1000000",
    )
    return env


def manage(env: dict, *args: str, quiet: bool = False) -> tuple[float, str]:
    """Run ``manage.py args`` with ``env``: (seconds, stdout)."""
    started = time.perf_counter()
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    if not quiet and done.stdout.strip():
        log(done.stdout.strip().splitlines()[-1])
    return time.perf_counter() - started, done.stdout


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    check = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
    )
    if check.stdout.strip() != "1":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {name}"], check=True)


def probe(env: dict, command: str) -> dict:
    done = subprocess.run(
        [PY, "bench/platform_probe.py", command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"platform_probe {command} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_server(env: dict, port: int, extra: list[str] | None = None) -> subprocess.Popen:
    """gunicorn (config/gunicorn.py, 1 worker x 4 threads unless ``env`` says otherwise) on ``port``."""
    return start_gunicorn(port, env={"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4", **env}, extra_args=extra or ())


def print_conditions() -> None:
    cpuinfo, meminfo = Path("/proc/cpuinfo").read_text(), Path("/proc/meminfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")), "0")
    print(f"\n== Platform benchmark (issue 15) {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    print(
        f"   machine: {platform.node()}, {os.cpu_count()} cores ({cpu}), {int(mem) // 1024} MiB, {platform.platform()}"
    )
    print("   SHARED: other engineers run tests and benches on these cores now; absolute figures move with")
    print("   their load (printed before each row). Compare the large/small ratio: both are measured in turn,")
    print("   request by request, in the same seconds. Closed loop, one client, keep-alive, loopback;")
    print("   each server: gunicorn gthread, 1 worker x 4 threads, production settings, Redis cache.")


def print_row(label: str, times: dict, large: str = "large", small: str = "small") -> None:
    a, b = summary(times[large]), summary(times[small])
    ratio = a["p50"] / b["p50"] if b["p50"] else float("nan")
    flag = "" if ratio <= 1.5 else "  <-- over 1.5x"
    errors = f"  errors {times['errors']}" if "errors" in times else ""
    print(
        f"  {label:<50} {a['p50']:8.1f} {a['p95']:8.1f} | {b['p50']:8.1f} {b['p95']:8.1f} | {ratio:5.2f}x{flag}{errors}"
    )


def http_rows(targets: list[Target], slugs: dict[str, str], ids: dict) -> None:
    big = slugs["large"]
    print("  small tenant: " + ", ".join(f"{n} {p['SMALL']} ({p['small_members']} members)" for n, p in ids.items()))
    rows = [
        ("floor GET /bench/floor (no work)", "GET", "/bench/floor", None),
        (f"console GET /a/{big}/ (50-member tenant)", "GET", f"/a/{big}/", "member"),
        (f"console GET /a/{big}/members/", "GET", f"/a/{big}/members/", "member"),
        ("console GET /a/SMALL/members/ (small tenant, admin)", "GET", "/a/SMALL/members/", "member"),
        (f"API GET /t/{big}/members/?limit=20", "GET", f"/api/v1/t/{big}/members/?limit=20", "jwt"),
        ("API GET /t/SMALL/members/?limit=20 (admin)", "GET", "/api/v1/t/SMALL/members/?limit=20", "jwt"),
        (f"API GET /t/{big}/catalog/products/?limit=20", "GET", f"/api/v1/t/{big}/catalog/products/?limit=20", "jwt"),
        ("API GET /tenants?limit=10 (user in 300 vs 10)", "GET", "/api/v1/tenants?limit=10", "jwt"),
        ("admin user list", "GET", "/admin/accounts/user/", "staff"),
        ("admin user search ?q=user000123", "GET", "/admin/accounts/user/?q=user000123", "staff"),
        ("admin tenant list", "GET", "/admin/tenants/tenant/", "staff"),
        ("admin tenant list, 10 rows each (?q=seed-0000)", "GET", "/admin/tenants/tenant/?q=seed-0000", "staff"),
        ("admin tenant search ?q=seed-00007", "GET", "/admin/tenants/tenant/?q=seed-00007", "staff"),
        ("admin membership list", "GET", "/admin/tenants/membership/", "staff"),
        ("admin membership search ?q=user000123", "GET", "/admin/tenants/membership/?q=user000123", "staff"),
        ("admin invitation list", "GET", "/admin/tenants/invitation/", "staff"),
        ("admin audit list", "GET", "/admin/tenants/auditentry/", "staff"),
        ("admin audit search ?q=seed-00007", "GET", "/admin/tenants/auditentry/?q=seed-00007", "staff"),
        ("admin tenant change form (50 members inline)", "GET", "tenant_change", "staff"),
        ("admin membership change form", "GET", "membership_change", "staff"),
        (
            "admin autocomplete tenant term=seed-0000",
            "GET",
            "/admin/autocomplete/?app_label=tenants&model_name=membership&field_name=tenant&term=seed-0000",
            "staff",
        ),
    ]
    only = os.environ.get("BENCH_PLATFORM_ONLY", "")  # a substring of row labels: rerun just those
    rows = [row for row in rows if only in row[0]]
    print(f"\n  {'row (ms)':<50} {'large p50':>8} {'p95':>8} | {'small p50':>8} {'p95':>8} | ratio")
    for label, method, path, auth in rows:
        print(f"  [{load()}]")

        if auth == "jwt":  # access tokens live 5 minutes; rows under load take longer than that
            for target in targets:
                refresh_token(target)

        def call(target, method=method, path=path, auth=auth):
            paths = ids[target.name]
            return target.send(method, paths.get(path, path).replace("SMALL", paths["SMALL"]), auth=auth)

        print_row(label, time_pairs(targets, SAMPLES, call))
    if only:
        return
    print(f"  [{load()}]")
    for target in targets:
        refresh_token(target)
        ms, pages, rows_seen = walk_pages(target, "/api/v1/tenants?limit=100")
        print(
            f"  walk every page of GET /api/v1/tenants?limit=100 ({target.name}): "
            f"{pages} pages, {rows_seen} rows, {ms:.0f} ms"
        )
    print(f"  [{load()}]")
    email, password = slugs["email"], slugs["password"]
    tokens = time_pairs(targets, max(5, SAMPLES // 3), lambda t: issue_token(t, email, password))
    print_row("POST /auth/token (Argon2 verify included)", tokens)
    for name in ("large", "small"):
        print(f"    token issue, one client: {1000 / summary(tokens[name])['mean']:.1f}/s ({name})")
    print(f"  [{load()}]")
    refreshes = time_pairs(targets, SAMPLES, refresh_token)
    print_row("POST /auth/token/refresh (rotation, no hashing)", refreshes)
    for name in ("large", "small"):
        print(f"    refresh, one client: {1000 / summary(refreshes[name])['mean']:.1f}/s ({name})")


def print_probe(results: dict) -> None:
    print("\n  in-process (ms)                                    large p50      p95 | small p50      p95 | ratio")
    for key, label in (
        ("resolve_cold_ms", "membership resolution, cold cache"),
        ("resolve_warm_ms", "membership resolution, warm cache"),
    ):
        print(f"  [{load()}]")
        print_row(label, {"large": results["large"][key], "small": results["small"][key]})
    for name in ("large", "small"):
        r = results[name]
        print(
            f"  GDPR ({name}): user in {r['memberships']} tenants: export {r['export_s']:.2f} s "
            f"({r['export_queries']} queries, {r['export_bytes'] // 1024} KiB ZIP, "
            f"{r['exported_audit_entries']} audit entries); "
            f"erasure {r['erase_s']:.2f} s ({r['erase_queries']} queries, verification {r['erase_verification']}); "
            f"verification walk alone {r['verify_walk_s']:.2f} s, "
            f"finds a not-erased user in {len(r['verify_finds_a_bystander_in'])} columns"
        )


def migrate_rows(envs: dict) -> None:
    print(f"\n  migrate (s, wall, includes Python start-up)      [{load()}]")
    for name, env in envs.items():
        manage(env, "migrate", "platform_noop", "zero", "--noinput", quiet=True)
        applied, _ = manage(env, "migrate", "platform_noop", "--noinput", quiet=True)
        nothing, _ = manage(env, "migrate", "--noinput", quiet=True)
        print(f"  {name}: apply a new no-op migration {applied:.1f} s; migrate with nothing to do {nothing:.1f} s")


def main() -> None:
    print_conditions()
    envs = {"large": server_env(LARGE_URL, "platform-large"), "small": server_env(SMALL_URL, "platform-small")}
    sizes = {"large": (USERS, TENANTS), "small": (SMALL_USERS, 10)}
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # production storage needs the manifest
        manage(envs["small"], "collectstatic", "--noinput", "-v", "0", quiet=True)
    for name, env in envs.items():
        ensure_database(env["DATABASE_URL"])
        manage(env, "migrate", "--noinput", quiet=True)
        users, tenants = sizes[name]
        log(f"seed {name} ({users} users, {tenants} tenants) [{load()}]")
        seconds, _ = manage(env, "seed_platform", "--users", str(users), "--tenants", str(tenants))
        log(f"seed {name}: {seconds:.1f} s wall")
    sessions = {name: probe(env, "prepare") for name, env in envs.items()}
    servers = {}
    try:
        for offset, (name, env) in enumerate(envs.items()):
            servers[name] = start_server(env, PORT + offset)
        targets = [
            Target(
                name,
                f"http://127.0.0.1:{PORT + offset}",
                member_session=sessions[name]["member_session"],
                staff_session=sessions[name]["staff_session"],
            )
            for offset, name in enumerate(envs)
        ]
        slugs = {"large": "seed-00000", "email": "user000000@seed.bazaar.invalid"}
        slugs["password"] = "seed-platform-password"
        for target in targets:
            issue_token(target, slugs["email"], slugs["password"])
        ids = {name: sessions[name].get("paths", {}) for name in envs}
        http_rows(targets, slugs, ids)
    finally:
        for server in servers.values():
            stop_process(server)
    if os.environ.get("BENCH_PLATFORM_ONLY"):
        return
    print_probe({name: probe(env, "measure") for name, env in envs.items()})
    migrate_rows(envs)
    if os.environ.get("BENCH_PLATFORM_SKIP_BEACON") != "1":
        from bench import platform_beacon

        platform_beacon.run(envs["large"])


if __name__ == "__main__":
    main()
