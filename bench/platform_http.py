"""HTTP helpers for the platform benchmark: a keep-alive client per server that sends the same
request to the large and the small platform in turn, so each pair is measured in the same moment.

Cookies are sent by hand: production settings mark them Secure, and the bench speaks plain HTTP
over loopback.
"""

from __future__ import annotations

import statistics
import time

import requests


class Target:
    """One gunicorn serving one database: a base URL, a session cookie, a bearer token."""

    def __init__(self, name: str, base: str, *, member_session: str, staff_session: str):
        self.name = name
        self.base = base
        self.http = requests.Session()
        self.member_session = member_session
        self.staff_session = staff_session
        self.access = ""
        self.refresh = ""

    def send(self, method: str, path: str, *, auth: str | None = None, json=None) -> requests.Response:
        """One request; ``auth`` is ``member`` (session), ``staff`` (session), ``jwt`` or None."""
        headers, cookies = {}, {}
        if auth == "member":
            cookies["sessionid"] = self.member_session
        elif auth == "staff":
            cookies["sessionid"] = self.staff_session
        elif auth == "jwt":
            headers["Authorization"] = f"Bearer {self.access}"
        url = path if path.startswith("http") else self.base + path
        return self.http.request(method, url, headers=headers, cookies=cookies, json=json, allow_redirects=False)


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def summary(samples: list[float]) -> dict:
    """p50 / p95 / mean in milliseconds."""
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95), "mean": statistics.fmean(samples)}


def time_pairs(targets: list[Target], samples: int, call) -> dict[str, list[float]]:
    """Run ``call(target)`` ``samples`` times per target, alternating targets; milliseconds each.

    ``call`` returns a response (its status must be < 400) or None.
    """
    times: dict[str, list[float]] = {t.name: [] for t in targets}
    errors: dict[str, str] = {}
    for _ in range(samples):
        for target in targets:
            started = time.perf_counter()
            response = call(target)
            times[target.name].append((time.perf_counter() - started) * 1000)
            if response is not None and response.status_code >= 400:
                errors[target.name] = f"HTTP {response.status_code}"
    if errors:
        times["errors"] = errors  # type: ignore[assignment]
    return times


def issue_token(target: Target, email: str, password: str) -> requests.Response:
    """``POST /api/v1/auth/token`` (an Argon2 verification each time); keeps the pair it got."""
    response = target.send("POST", "/api/v1/auth/token", json={"email": email, "password": password, "client": "web"})
    if response.status_code == 200:
        body = response.json()
        target.access, target.refresh = body["access"], body["refresh"]
    return response


def refresh_token(target: Target) -> requests.Response:
    """``POST /api/v1/auth/token/refresh`` with the last refresh token (rotation)."""
    response = target.send("POST", "/api/v1/auth/token/refresh", json={"refresh": target.refresh})
    if response.status_code == 200:
        body = response.json()
        target.access, target.refresh = body["access"], body["refresh"]
    return response


def walk_pages(target: Target, path: str) -> tuple[float, int, int]:
    """Follow ``next`` links from ``path`` to the end: (milliseconds, pages, rows)."""
    started, pages, rows, url = time.perf_counter(), 0, 0, path
    while url:
        body = target.send("GET", url, auth="jwt").json()
        pages += 1
        rows += len(body.get("results", []))
        url = body.get("next")
    return (time.perf_counter() - started) * 1000, pages, rows
