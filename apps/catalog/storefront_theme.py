"""A shop's storefront theme as a stylesheet: its brand and accent colours (validated ``#rrggbb``
with enough contrast for white text, ``apps.tenants.validation.validate_theme_colour``) as the
design system's custom properties. Served from ``/s/<slug>/theme.css`` because the CSP allows no
inline style; the link carries the tenant's ``updated_at`` so a change is fetched at once."""

from __future__ import annotations

import re

_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


def darken(colour: str, factor: float = 0.8) -> str:
    """``#rrggbb`` with each channel scaled by ``factor`` (the hover shade)."""
    channels = [round(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def theme_stylesheet(tenant) -> str:
    """The CSS of ``tenant``'s theme ("" parts for colours it does not set). Values that are not
    ``#rrggbb`` (written around the services) are left out, so nothing else reaches the CSS."""
    rules = []
    brand = tenant.brand_colour if _COLOUR.match(tenant.brand_colour or "") else ""
    accent = tenant.accent_colour if _COLOUR.match(tenant.accent_colour or "") else ""
    if brand:
        rules += [f"--color-primary: {brand};", f"--color-primary-dark: {darken(brand)};"]
    if accent:
        rules.append(f"--color-accent: {accent};")
    return ":root { " + " ".join(rules) + " }\n" if rules else ""


def has_theme(tenant) -> bool:
    """Whether the shop sets any theme colour."""
    return bool(theme_stylesheet(tenant))
