"""Wait for a condition that another process (a Celery worker, a live server) makes true."""

from __future__ import annotations

import time


def wait_for(predicate, timeout=20.0, interval=0.2) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
