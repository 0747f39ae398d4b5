"""What tells the pytest-xdist worker processes apart (``make test`` runs ``-n 2``): each gets its
own test database (pytest-django), Redis database, Celery queue and media directory (see
``config/settings/test.py``) and, from here, its own fixed ports."""

from __future__ import annotations

import os
import socket


def worker_index() -> int:
    """0 for ``gw0`` or a run without xdist, 1 for ``gw1``..."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def worker_port(base: int) -> int:
    """``base`` moved by the worker's number, for a service a test starts on a configured port."""
    return base + worker_index()


def free_port() -> int:
    """A loopback port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
