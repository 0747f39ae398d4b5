"""The client's address, honouring only the reverse proxies we run.

``NUM_PROXIES`` says how many trusted proxies stand in front of the application. Each appends the
address it saw to ``X-Forwarded-For``; entries further left come from the client and can be
forged. With ``NUM_PROXIES = 0`` (the default) only ``REMOTE_ADDR`` counts. DRF's throttles
(``REST_FRAMEWORK["NUM_PROXIES"]``), django-axes lockouts (``AXES_CLIENT_IP_CALLABLE``), the
metrics allow-list and analytics' visitor hash all use this same rule.
"""

from __future__ import annotations

from django.conf import settings


def get_client_ip(request) -> str:
    """The address the outermost trusted proxy saw (or ``REMOTE_ADDR`` with no trusted proxy)."""
    remote_addr = request.META.get("REMOTE_ADDR", "") or ""
    num_proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(num_proxies, len(addresses))]
