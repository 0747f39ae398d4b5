"""Where a cold page's time goes: renders a few URLs of each page kind in-process with the cache
flushed before each, times every SQL statement, and prints (JSON on stdout) per page kind the
page time, the query count and the slowest statements with their share. Called by
bench/closed_loop.py before its rows; alone: ``python bench/query_profile.py <pools.json>`` with
the bench environment."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

PER_KIND = 4


def profile(paths: list[str]) -> dict:
    """Page and per-statement timings (ms) of ``paths``, each rendered with an empty cache."""
    client = Client()
    pages, statements = [], {}
    for path in paths:
        cache.clear()
        timings: list[tuple[float, str]] = []

        def timed(execute, sql, params, many, context, timings=timings):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append(((time.perf_counter() - started) * 1000, sql))

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            client.get(path, HTTP_HOST="127.0.0.1")
        pages.append((time.perf_counter() - started) * 1000)
        for ms, sql in timings:
            label = " ".join(sql.split())[:110]
            statements.setdefault(label, []).append(ms)
        pages[-1] = (pages[-1], len(timings))
    slowest = sorted(statements.items(), key=lambda item: -sum(item[1]))[:3]
    total = sum(ms for ms, _ in pages) or 1
    return {
        "page_ms": round(sum(ms for ms, _ in pages) / len(pages), 1),
        "queries": round(sum(n for _, n in pages) / len(pages), 1),
        "slowest": [
            {"sql": sql, "avg_ms": round(sum(ms) / len(ms), 1), "share": round(sum(ms) / total, 2)}
            for sql, ms in slowest
        ],
    }


def main(pools_file: str) -> None:
    pools = json.loads(Path(pools_file).read_text())
    kinds = [kind for kind in pools if kind != "floor"]
    json.dump({kind: profile(pools[kind][-PER_KIND:]) for kind in kinds}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
