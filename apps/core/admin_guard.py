"""Keep the Django admin to the networks that may reach it.

``ADMIN_ALLOWED_NETWORKS`` (comma-separated CIDRs, e.g. ``10.0.0.0/8,192.0.2.7/32``) limits
``/admin/`` to clients in those networks; anyone else gets the plain 404 of an address that does
not exist. Empty (the default) allows every address: the admin still needs a staff account signed
in through allauth (with its second factor, see ``apps/accounts/admin.py``). The client address is
the one rule of ``apps.core.client_ip``, so behind a proxy set ``NUM_PROXIES``.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import Http404

from apps.core.client_ip import get_client_ip

ADMIN_PREFIX = "/admin/"


@lru_cache(maxsize=8)
def parse_networks(networks: tuple[str, ...]) -> tuple:
    """The ``ip_network`` objects of ``networks`` (raises ``ValueError`` on a malformed entry)."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in networks if item.strip())


def is_admin_allowed(address: str) -> bool:
    """Whether a client at ``address`` may reach the admin under ``ADMIN_ALLOWED_NETWORKS``."""
    networks = parse_networks(tuple(settings.ADMIN_ALLOWED_NETWORKS or ()))
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class AdminNetworkMiddleware:
    """404 for ``/admin/`` from outside ``ADMIN_ALLOWED_NETWORKS``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX) and not is_admin_allowed(get_client_ip(request)):
            raise Http404("Not found")
        return self.get_response(request)
