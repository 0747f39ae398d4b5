"""Start and stop the gunicorn a benchmark drives: one home for what every bench script needs.

``start_gunicorn`` runs ``config/gunicorn.py`` (the production server configuration) in its own
process group on a loopback port, waits until ``ready_path`` answers 200 and returns the process;
``stop_process`` stops a process group this script started, by its pid (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = [str(ROOT / ".venv" / "bin" / "python"), "-m", "gunicorn"]


def start_gunicorn(
    port: int,
    *,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    log_path: Path | None = None,
    ready_path: str = "/healthz",
    timeout: float = 120,
    root: Path = ROOT,
) -> subprocess.Popen:
    """gunicorn from ``root`` bound to ``127.0.0.1:port``, ready once ``ready_path`` answers 200.

    ``env`` is the whole environment (default: this process's); its ``GUNICORN_BIND`` is replaced.
    Raises ``SystemExit`` naming the log when the server does not come up within ``timeout``.
    """
    environment = {**(os.environ if env is None else env), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    environment.setdefault("PYTHONPATH", str(root))
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 (the server's lifetime)
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and config)
        [*GUNICORN, "-c", "config/gunicorn.py", *extra_args, "config.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        cwd=root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_process(server)
    where = f" (see {log_path})" if log_path else ""
    raise SystemExit(f"gunicorn on 127.0.0.1:{port} did not come up{where}")


def stop_process(process: subprocess.Popen, *, timeout: float = 30) -> None:
    """Stop the process group ``process`` leads (started with ``start_new_session``), by its pid."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=timeout)
