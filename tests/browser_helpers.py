"""Helpers for the browser tests: sign a browser in, and run axe-core in a page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
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
