"""Absolute URLs of a shop's public pages, on the shop's own domain when it has one.

A storefront path is ``/s/<slug>/...``. When the tenant has a ``domain``, the canonical address of
that page is ``<scheme>://<domain>/...`` (``CustomDomainMiddleware`` serves it there), so canonical
links, ``og:url``, JSON-LD and sitemap entries name it whichever host the page was fetched on (one
address per page for search engines). Without a domain the URL is the platform's, as requested.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def is_on_shop_domain(request: HttpRequest) -> bool:
    """Whether ``request`` came in on a shop's own domain (mapped by ``CustomDomainMiddleware``)."""
    return bool(getattr(request, "custom_domain_slug", None))


def shop_relative_path(tenant, path: str) -> str:
    """``/s/<slug>/p/lamp/`` -> ``/p/lamp/`` (the path on the shop's own domain); other paths as given."""
    prefix = f"/s/{tenant.slug}"
    return path[len(prefix) :] if path.startswith(prefix + "/") else path


def storefront_url(request: HttpRequest, tenant, path: str) -> str:
    """The canonical absolute URL of storefront ``path`` of ``tenant`` (see the module docstring).

    On the shop's domain the scheme is ``https`` when the platform redirects to TLS (production) or
    the request was secure, else the request's own (``make run``)."""
    if not tenant.domain:
        return request.build_absolute_uri(path)
    secure = request.is_secure() or getattr(settings, "SECURE_SSL_REDIRECT", False)
    scheme = "https" if secure else request.scheme
    return f"{scheme}://{tenant.domain}{shop_relative_path(tenant, path)}"
