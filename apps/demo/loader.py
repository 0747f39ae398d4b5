"""Builds the demo by calling each app's public demo function in dependency order."""

from __future__ import annotations

DEMO_SLUG = "demo"


def load_demo(*, products: int = 200) -> list[str]:
    """Create or refresh the demo; return the lines to print (URLs and logins)."""
    lines = [
        "",
        "  Site:        http://127.0.0.1:8000/",
        "  Health:      http://127.0.0.1:8000/healthz  http://127.0.0.1:8000/readyz",
        "  API docs:    http://127.0.0.1:8000/api/v1/docs/",
    ]
    return lines
