"""Run calls at the same moment in threads (parallel tests on the real PostgreSQL)."""

from __future__ import annotations

import threading

from django.db import connection

from apps.core.errors import ApplicationError


def run_at_once(calls):
    """Run each callable in its own thread, all released together; returns results in order
    (an ``ApplicationError``'s code, or the return value; other exceptions are re-raised)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except ApplicationError as exc:
            results[index] = exc.code
        except Exception as exc:  # noqa: BLE001 - surfaced below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a placement hung"
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results
