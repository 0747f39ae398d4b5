"""Helpers for the browser tests: sign a browser in, and run axe-core in a page."""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.test import Client

AXE_PATH = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


def login_as(page, user) -> None:
    """Sign ``page``'s browser context in as ``user`` with a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base_url}])


@lru_cache(maxsize=1)
def axe_source() -> str:
    """axe-core's script, installed from npm by ``make browser`` (never fetched from a CDN)."""
    if not AXE_PATH.exists():
        raise FileNotFoundError(f"{AXE_PATH} is missing: run `make browser` (npm ci --prefix tests/js)")
    return AXE_PATH.read_text()


def blocking_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the current page, one readable line each.

    The page's context must be created with ``bypass_csp=True``: the script is added inline.
    """
    page.add_script_tag(content=axe_source())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
        + ", ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:5]
        )
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def watch_csp(page) -> list[str]:
    """Collect the page's Content-Security-Policy console errors (the list fills as the page runs)."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def fits(page) -> bool:
    """Whether the page fits the viewport's width (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def wait_for_mail(subject_start: str, timeout: float = 15) -> list:
    """The sent emails whose subject starts with ``subject_start``, waiting up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mail.outbox if m.subject.startswith(subject_start)]
        if found:
            return found
        time.sleep(0.2)
    return []
