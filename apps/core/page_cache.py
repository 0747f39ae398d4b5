"""The anonymous page cache: cached page bytes with per-request parts filled in on every hit.

A storefront page is the same for every anonymous shopper except a few small parts: the CSRF
token of the visitor's cookie, the request id in the footer, the cart count in the header. The
page is rendered once with a *placeholder* for each such part, stored, and every request (hit or
miss) gets the placeholders replaced by its own values.

- :func:`register_fragment` names a per-request part and the function that renders it (an app
  registers its own in ``AppConfig.ready``; core never imports it). ``{% per_request "name" %}``
  (``{% load page_cache %}``) emits the placeholder while a page is being cached and the real
  value otherwise.
- A view opts its response in with :func:`cache_response` (what the page depends on: cache keys
  and their current values, e.g. the tenant's catalog version). A hit is served only while every
  dependency still has the recorded value, so a write that bumps the version invalidates at once.
- :class:`apps.core.page_cache_middleware.PageCacheMiddleware` looks entries up before the
  session, auth and messages middleware run, and stores eligible responses.

All cache access goes through Django's ``cache`` API (so the project's fault-tolerant wrapper
covers it): a cache error is a miss.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

CAPTURE_ATTR = "_page_cache_capture"  # set on the request while a cacheable page renders
DEPENDS_ATTR = "page_cache_depends"  # set on the response by cache_response()


@dataclass(frozen=True)
class Fragment:
    """A per-request part of a cached page: ``render(request) -> str`` and ``etag(request) -> str``,
    the part of the request that decides whether a browser's copy is still right (a 304)."""

    name: str
    render: Callable[[HttpRequest], str]
    etag: Callable[[HttpRequest], str]


_FRAGMENTS: dict[str, Fragment] = {}


def register_fragment(
    name: str,
    render: Callable[[HttpRequest], str],
    *,
    etag: Callable[[HttpRequest], str] | None = None,
) -> None:
    """Register the per-request part ``name`` (``[a-z0-9_]+``).

    ``render(request)`` returns its text (escaped here unless it is already safe HTML).
    ``etag(request)`` returns what a browser's cached copy must match to get a 304; by default the
    rendered text itself (right for a cart count). A part that differs on every request but stays
    valid (a masked CSRF token) passes what it is derived from (the CSRF cookie).
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"fragment names are [a-z0-9_]+, not {name!r}")
    _FRAGMENTS[name] = Fragment(name=name, render=render, etag=etag or render)


def unregister_fragment(name: str) -> None:
    """Remove fragment ``name`` (tests that register their own)."""
    _FRAGMENTS.pop(name, None)


def registered_fragments() -> dict[str, Fragment]:
    """The registered fragments by name (read-only use)."""
    return dict(_FRAGMENTS)


def placeholder(name: str) -> str:
    """The marker left in cached bytes for fragment ``name``: an HTML comment carrying a keyed
    digest, so text from a shop or a shopper (escaped anyway) can never forge one. Safe HTML, so
    it survives ``format_html`` (Django's ``{% csrf_token %}`` puts it in an attribute)."""
    digest = salted_hmac("bazaar.page_cache", name, secret=settings.SECRET_KEY).hexdigest()[:16]
    return mark_safe(f"<!--bz:{name}:{digest}-->")  # noqa: S308 (a fixed marker)


def csrf_context(request: HttpRequest) -> dict:
    """Context processor: while a cacheable page renders, ``csrf_token`` (what ``{% csrf_token %}``
    and ``{{ csrf_token }}`` use) is the CSRF fragment's placeholder, so plain Django templates
    cache correctly; otherwise nothing (Django's own processor gives the real token)."""
    return {"csrf_token": placeholder("csrf_token")} if is_capturing(request) else {}


_PLACEHOLDER_RE = re.compile(rb"<!--bz:([a-z0-9_]+):([0-9a-f]{16})-->")


def is_capturing(request: HttpRequest | None) -> bool:
    """True while ``request`` renders a page that may be stored (placeholders, not values)."""
    return bool(request is not None and getattr(request, CAPTURE_ATTR, False))


def render_fragment(request: HttpRequest, name: str) -> str:
    """The value of fragment ``name`` for ``request`` (escaped), memoised per request."""
    memo = request.__dict__.setdefault("_page_cache_values", {})
    if name not in memo:
        fragment = _FRAGMENTS.get(name)
        memo[name] = str(conditional_escape(fragment.render(request))) if fragment else ""
    return memo[name]


def per_request(request: HttpRequest | None, name: str) -> str:
    """What ``{% per_request name %}`` emits: the placeholder while capturing, else the value."""
    if name not in _FRAGMENTS:
        raise ValueError(f"no per-request fragment named {name!r} is registered")
    if request is None:
        return ""
    if is_capturing(request):
        return placeholder(name)
    return render_fragment(request, name)


def cache_response(response, *, depends_on: dict[str, Any], ttl: int) -> None:
    """Mark ``response`` storable by the page cache, valid while every key of ``depends_on``
    still holds its value in the cache (compare: the tenant's catalog version), for ``ttl`` s."""
    existing = getattr(response, DEPENDS_ATTR, None)
    if existing:
        depends_on = {**existing[0], **depends_on}
        ttl = min(ttl, existing[1])
    setattr(response, DEPENDS_ATTR, (dict(depends_on), ttl))


def add_dependency(request: HttpRequest | None, key: str, value: Any) -> None:
    """Record, while a page renders, that it depends on cache ``key`` holding ``value`` (for
    parts rendered by template tags, e.g. the analytics beacon's key)."""
    if is_capturing(request):
        request.__dict__.setdefault("_page_cache_extra_deps", {})[key] = value


def extra_dependencies(request: HttpRequest) -> dict[str, Any]:
    """Dependencies recorded by :func:`add_dependency` during this request."""
    return dict(request.__dict__.get("_page_cache_extra_deps", {}))


@dataclass
class Template:
    """Cached page bytes split at the placeholders: ``parts[0] name parts[1] name ... parts[n]``."""

    parts: list[bytes]
    names: list[str] = field(default_factory=list)

    def fill(self, request: HttpRequest) -> bytes:
        """The page for ``request``: the static parts with its fragment values between them."""
        out = [self.parts[0]]
        for name, part in zip(self.names, self.parts[1:], strict=True):
            out.append(render_fragment(request, name).encode())
            out.append(part)
        return b"".join(out)

    def fragment_values(self, request: HttpRequest) -> list[bytes]:
        """Each placeholder's value for ``request``, in order (for the segment compressor)."""
        return [render_fragment(request, name).encode() for name in self.names]


def split_placeholders(body: bytes) -> Template:
    """Split rendered bytes at valid placeholders (a forged marker is left as text)."""
    parts, names, last = [], [], 0
    for match in _PLACEHOLDER_RE.finditer(body):
        name = match.group(1).decode()
        if name not in _FRAGMENTS or placeholder(name).encode() != match.group(0):
            continue
        parts.append(body[last : match.start()])
        names.append(name)
        last = match.end()
    parts.append(body[last:])
    return Template(parts=parts, names=names)


def etag_for(request: HttpRequest, digest: str, names: list[str]) -> str:
    """The weak ETag of a cached page for ``request``: the stored bytes' digest plus what each
    of its fragments says a browser's copy depends on."""
    h = hashlib.sha1(digest.encode(), usedforsecurity=False)
    for name in sorted(set(names)):
        fragment = _FRAGMENTS.get(name)
        h.update(b"\0" + name.encode() + b"=" + (fragment.etag(request) if fragment else "").encode())
    return f'W/"{h.hexdigest()[:24]}"'


# --- scopes: a version token per thing many pages show (a tenant's name and currency) ----------


def scope_key(scope: str) -> str:
    """The cache key holding the current token of ``scope`` (e.g. ``tenant:12``)."""
    return f"pagecache:scope:{scope}"


def scope_dependency(scope: str) -> dict[str, Any]:
    """``{key: token}`` for :func:`cache_response`: valid until :func:`bump_scope` (a missing
    token is ``None`` and matches until a bump writes one)."""
    key = scope_key(scope)
    return {key: cache.get(key)}


def bump_scope(scope: str) -> None:
    """Make every cached page that depends on ``scope`` stale (call after the write commits)."""
    cache.set(scope_key(scope), secrets.token_hex(8), timeout=None)
