"""The per-request parts core itself provides to cached pages: the CSRF token and the request id.
Registered in ``CoreConfig.ready``; other apps register theirs the same way (e.g. ``cart_count``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token

from apps.core.page_cache import register_fragment


def render_csrf_token(request: HttpRequest) -> str:
    """The visitor's (masked) CSRF token; makes the cookie on a first visit."""
    return get_token(request)


def csrf_etag(request: HttpRequest) -> str:
    """A browser's copy stays valid while its CSRF secret is the same (tokens are masked anew on
    every request, but any of them matches the secret): the cookie's, or the one just made."""
    return request.META.get("CSRF_COOKIE") or request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")


def render_request_id(request: HttpRequest) -> str:
    """The request id shown in the footer (a 304 keeps the one the browser has)."""
    return getattr(request, "request_id", "")


def register_core_fragments() -> None:
    """Register ``csrf_token`` and ``request_id``."""
    register_fragment("csrf_token", render_csrf_token, etag=csrf_etag)
    register_fragment("request_id", render_request_id, etag=lambda request: "")
