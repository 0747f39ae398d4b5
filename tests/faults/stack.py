"""The fault suite's private stack: real processes on loopback ports 18800-18899, stopped by PID.

- PostgreSQL primary (``initdb`` + ``pg_ctl``, port 18820) and a streaming replica made from it by
  ``pg_basebackup -R`` (port 18821), under a temporary directory of their own;
- three Redis servers: the cache (18801, ``allkeys-lru``), the token store / analytics stream
  (18802, ``noeviction``, append-only file) and the Celery broker (18803, append-only file);
- gunicorn serving the project (18810) and one Celery worker, both pointed at the above.

Nothing here touches the machine's shared PostgreSQL, Redis or RabbitMQ.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_PRIMARY_PORT, PG_REPLICA_PORT = 18820, 18821
REDIS_CACHE_PORT, REDIS_STORE_PORT, REDIS_BROKER_PORT = 18801, 18802, 18803
WEB_PORT = 18810
QUEUE = "bazaar_reliability_faults"
DEMO_PASSWORD = "bazaar-demo-2026"  # noqa: S105 - the demo loader's published password
OWNER = "owner@demo.bazaar.local"


def pg_bin(name: str) -> str:
    """A PostgreSQL server binary (Debian keeps them under /usr/lib/postgresql/<major>/bin)."""
    debian = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]), reverse=True)
    found = next(iter(debian), None) or shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: run `make faults-deps` (installs postgresql and redis-server)")
    return found


def as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


def wait_for(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition") -> float:
    """Poll ``predicate`` until true; returns the seconds it took. Raises after ``timeout``."""
    started = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what} not reached within {timeout} s")
        time.sleep(interval)


def stop_pid(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    """Signal one process we started (and its process group), wait, then SIGKILL what is left."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body or b"null")


def request(method: str, path: str, *, body=None, headers: dict | None = None, timeout: float = 10) -> Response:
    """One HTTP request to the private gunicorn; a connection failure is status 0."""
    conn = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=timeout)
    headers = dict(headers or {})
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return Response(resp.status, resp.read(), {k.lower(): v for k, v in resp.getheaders()})
    except OSError as exc:
        return Response(0, str(exc).encode(), {})
    finally:
        conn.close()


@dataclass
class Stack:
    """Every private process of the suite and how to stop, start and kill each one."""

    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bazaar-faults-")))
    procs: dict = field(default_factory=dict)
    _counter: object = field(default=None, repr=False)  # the psycopg connection of count()

    # --- environment ----------------------------------------------------------------------
    def env(self) -> dict:
        """The environment of gunicorn, the worker and management commands."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.base),
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PRIMARY_PORT}/bazaar",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{PG_REPLICA_PORT}/bazaar",
            "TEST_DATABASE_REPLICA_MIRROR": "false",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_CACHE_PORT}/0",
            "TOKEN_STORE_URL": f"redis://127.0.0.1:{REDIS_STORE_PORT}/0",
            "ANALYTICS_REDIS_URL": f"redis://127.0.0.1:{REDIS_STORE_PORT}/1",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_BROKER_PORT}/0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            "CELERY_BROKER_VISIBILITY_TIMEOUT": "6",
            "MEDIA_ROOT": str(self.base / "media"),
            "ACCOUNT_EMAIL_VERIFICATION": "optional",
            "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
            "DB_POOL_MIN_SIZE": "1",
            "ANALYTICS_RECLAIM_IDLE_MS": "1500",
            # The suite's load comes from one address: the API's per-address limits would answer 429
            # and hide what each fault costs (throttles are tested in tests/security).
            "THROTTLE_ANON": "1000000/min",
            "THROTTLE_USER": "1000000/min",
        }
        return env

    def _spawn(self, name: str, cmd: list[str], **kwargs) -> subprocess.Popen:
        log = open(self.base / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT, **kwargs
        )
        self.procs[name] = proc
        return proc

    def manage(self, *args: str, timeout: float = 180, stdin: str | None = None) -> str:
        """Run ``manage.py`` against the private stack; returns its output."""
        result = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def manage_started(self, *args: str) -> subprocess.Popen:
        """Start ``manage.py`` against the private stack without waiting (output captured)."""
        return subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    # --- PostgreSQL -------------------------------------------------------------------------
    def _pg_dir(self, name: str) -> Path:
        return self.base / name

    def _pg_logs(self) -> Path:
        logs = self.base / "pg-logs"
        if not logs.exists():
            logs.mkdir()
            if os.geteuid() == 0:
                shutil.chown(logs, "postgres")
        return logs

    def init_primary(self) -> None:
        """initdb a primary that allows streaming replication from loopback."""
        data = self._pg_dir("pg-primary")
        self.base.chmod(0o755)
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        subprocess.run(  # noqa: S603
            as_postgres(
                [pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        with open(data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")

    def pg_start(self, name: str, port: int) -> None:
        """Start a cluster with pg_ctl and wait until it accepts connections."""
        data = self._pg_dir(name)
        opts = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c wal_level=replica -c max_wal_senders=4 "
            "-c shared_buffers=32MB -c max_connections=60 -c hot_standby=on"
        )
        subprocess.run(  # noqa: S603
            as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    opts,
                    "-l",
                    str(self._pg_logs() / f"{name}.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=90,
        )

    def pg_stop(self, name: str, mode: str = "fast") -> None:
        """Stop a cluster (``fast``: abort transactions, like a restart by an operator)."""
        data = self._pg_dir(name)
        if (data / "postmaster.pid").exists():
            subprocess.run(  # noqa: S603
                as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", mode, "-w", "-t", "60", "stop"]),
                capture_output=True,
                timeout=90,
            )

    def make_replica(self) -> None:
        """pg_basebackup the primary into a streaming replica (``-R`` writes standby.signal)."""
        data = self._pg_dir("pg-replica")
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        data.chmod(0o700)
        subprocess.run(  # noqa: S603
            as_postgres(
                [
                    pg_bin("pg_basebackup"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(PG_PRIMARY_PORT),
                    "-U",
                    "postgres",
                    "-D",
                    str(data),
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def create_database(self) -> None:
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-p", str(PG_PRIMARY_PORT), "-U", "postgres", "-c", "CREATE DATABASE bazaar"],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def psql(self, sql: str, *, port: int = PG_PRIMARY_PORT) -> str:
        """Run one SQL statement with psql and return the unaligned result."""
        result = subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "bazaar", "-tAXc", sql],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return result.stdout.strip()

    def wait_replica_caught_up(self, timeout: float = 30) -> float:
        """Wait until the replica has replayed everything the primary has written so far.

        Anonymous reads are served by the replica, so a check that reads through the site after a
        write on the primary must wait for this first (the documented cost of a replica is
        staleness for at most its lag)."""
        target = self.psql("SELECT pg_current_wal_lsn()")
        return wait_for(
            lambda: self.psql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", port=PG_REPLICA_PORT) == "t",
            timeout=timeout,
            interval=0.1,
            what=f"replica replayed up to {target}",
        )

    def count(self, sql: str) -> int:
        """One ``SELECT count(*)`` on the primary over a kept psycopg connection: milliseconds, not
        a psql process per poll, so a wait sees a fast writer's first commit (reconnects after a
        restart of the primary)."""
        import psycopg

        for _ in range(2):
            try:
                if self._counter is None or self._counter.closed:
                    self._counter = psycopg.connect(
                        f"postgresql://postgres@127.0.0.1:{PG_PRIMARY_PORT}/bazaar", autocommit=True, connect_timeout=5
                    )
                return int(self._counter.execute(sql).fetchone()[0])
            except psycopg.OperationalError:
                self._counter = None
        return int(self.psql(sql))

    # --- Redis --------------------------------------------------------------------------------
    def redis_start(self, port: int, *, evict: bool) -> None:
        name = f"redis-{port}"
        workdir = self.base / name
        workdir.mkdir(exist_ok=True)
        policy = ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru", "--save", "", "--appendonly", "no"]
        if not evict:
            policy = [
                "--maxmemory",
                "128mb",
                "--maxmemory-policy",
                "noeviction",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ]
        self._spawn(
            name,
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(workdir),
                "--protected-mode",
                "no",
                *policy,
            ],
        )
        wait_for(lambda: port_open(port), timeout=20, what=f"redis on {port}")

    def redis_stop(self, port: int) -> None:
        stop_pid(self.procs.pop(f"redis-{port}", None))
        wait_for(lambda: not port_open(port), timeout=10, what=f"redis on {port} closed")

    # --- web and worker -----------------------------------------------------------------------
    def web_start(self) -> None:
        self._spawn(
            "gunicorn", [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"], env=self.env()
        )
        wait_for(lambda: request("GET", "/healthz", timeout=2).status == 200, timeout=90, interval=0.5, what="gunicorn")

    def worker_start(self, name: str = "worker") -> subprocess.Popen:
        proc = self._spawn(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "-Q",
                QUEUE,
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",  # each task received, retried, succeeded: what a failed wait prints
                "-n",
                f"{name}@faults",
            ],
            env=self.env(),
        )
        return proc

    def worker_pids(self, name: str = "worker") -> list[int]:
        """The worker's main process and its pool children."""
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return []
        out = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in out]

    def worker_alive(self, name: str = "worker") -> bool:
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    def log_tail(self, name: str, chars: int = 3000) -> str:
        """The end of a private process's log (what it said before a wait gave up)."""
        path = self.base / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"

    def wait_on_worker(self, predicate, *, what: str, timeout: float, name: str = "worker", state=None) -> float:
        """Poll ``predicate`` while the worker lives; fail at once if it exits, or after ``timeout``
        (a bound for a stuck run, not a performance check), with ``state()`` and the worker's log."""

        def reached() -> bool:
            if predicate():
                return True
            if not self.worker_alive(name):
                raise AssertionError(f"the {name} exited before {what}; state: {state() if state else '-'}\n"
                                     f"{self.log_tail(name)}")  # fmt: skip
            return False

        try:
            return wait_for(reached, timeout=timeout, interval=0.05, what=what)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; state: {state() if state else '-'}\n{self.log_tail(name)}") from None

    def freeze_worker(self, name: str = "worker") -> None:
        """SIGSTOP the worker's process group: from this instant it writes nothing more."""
        os.killpg(self.procs[name].pid, signal.SIGSTOP)

    def kill_worker(self, name: str = "worker") -> None:
        """SIGKILL the worker's whole process group (main process and pool children), no warning."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    # --- all ---------------------------------------------------------------------------------
    def stop_all(self) -> None:
        if self._counter is not None:
            self._counter.close()
        for name in list(self.procs):
            stop_pid(self.procs.pop(name), timeout=10)
        for name in ("pg-replica", "pg-primary"):
            try:
                self.pg_stop(name, mode="immediate")
            except Exception:  # noqa: BLE001,S110 - best effort while tearing down
                pass
        shutil.rmtree(self.base, ignore_errors=True)
