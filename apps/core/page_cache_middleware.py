"""``PageCacheMiddleware``: serve anonymous pages from the page cache before sessions, auth and
messages run; store eligible responses; ETag/304; gzip with precompressed parts.

Placed after ``HealthCheckMiddleware`` and before ``SessionMiddleware`` (see
``config/settings/base.py``). A request is *eligible* when it is a GET or HEAD under one of
``PAGE_CACHE_PATH_PREFIXES``, carries no session cookie, no messages cookie and no
``Authorization`` header. Eligible requests render with placeholders for the per-request parts
(``apps.core.page_cache``); a response is stored only when its view called
``page_cache.cache_response`` and it is a plain 200 HTML page that sets no cookie.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from apps.core import gzip_segments, page_cache

logger = logging.getLogger("bazaar.page_cache")

KEY_PREFIX = "pagecache:v1:"
VARY = ("Cookie", "Accept-Encoding", "HX-Request", "HX-Target")
CACHE_CONTROL = "private, no-cache"  # per-visitor parts: browsers revalidate (304), shared caches keep out
MAX_SCOPES = 10_000  # remembered path scopes per process
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy")


def is_eligible(request: HttpRequest) -> bool:
    """Whether ``request`` may be answered from (and stored into) the anonymous page cache."""
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
        return False
    if not request.path_info.startswith(tuple(settings.PAGE_CACHE_PATH_PREFIXES)):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False  # a signed-in (or flashed) visitor gets a freshly rendered page
    return "HTTP_AUTHORIZATION" not in request.META


def may_capture(request: HttpRequest) -> bool:
    """Whether an eligible miss may be stored: only a render for a visitor with no state (no
    cookie but the CSRF one), so a part that is not yet a fragment (a cart count) can only ever
    be stored with its empty value, never with one visitor's value served to others."""
    return set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}


def path_scope(path: str) -> str:
    """The first two segments of ``path`` (``/s/<slug>/``): pages that share dependency keys."""
    return "/".join(path.split("/", 3)[:3])


def entry_key(request: HttpRequest) -> str:
    """The cache key of the page ``request`` asks for: host, path, query and the htmx target."""
    meta = request.META
    raw = "\n".join(
        (request.get_host(), request.get_full_path(), meta.get("HTTP_HX_REQUEST", ""), meta.get("HTTP_HX_TARGET", ""))
    )
    return KEY_PREFIX + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


class PageCacheMiddleware:
    """Answer eligible requests from the page cache; fill the per-request parts of every page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(lambda request: None)
        self.scope_keys: dict[str, tuple[str, ...]] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_eligible(request):
            return self.get_response(request)
        key = entry_key(request)  # get_host() validates the Host header (DisallowedHost -> 400)
        entry = self._lookup(request, key)
        if entry is not None:
            request.metrics_view_name = entry["view"]
            self.csrf.process_request(request)  # read the visitor's CSRF cookie for the token
            return self._respond(request, entry, hit=True)
        capture = may_capture(request)
        setattr(request, page_cache.CAPTURE_ATTR, capture)
        response = self.get_response(request)
        setattr(request, page_cache.CAPTURE_ATTR, False)
        entry = self._store(request, response, key) if capture else None
        if entry is None:
            return self._fill_uncached(request, response)
        return self._respond(request, entry, hit=False)

    def _lookup(self, request: HttpRequest, key: str) -> dict | None:
        """The entry if every dependency still holds its recorded value. The dependency keys of
        a path's scope (``/s/<slug>/``) are remembered per process, so a hit is one
        ``get_many`` (entry and dependencies together), not two round trips."""
        scope = path_scope(request.path_info)
        known = self.scope_keys.get(scope, ())
        found = cache.get_many([key, *known])
        entry = found.get(key)
        if not isinstance(entry, dict):
            return None
        depends = entry["depends"]
        if set(depends) != set(known):
            self.remember_scope(scope, tuple(depends))
            found = cache.get_many(list(depends)) if depends else {}
        if any(found.get(k) != v for k, v in depends.items()):
            return None
        return entry

    def remember_scope(self, scope: str, keys: tuple[str, ...]) -> None:
        """Remember ``scope``'s dependency keys (bounded: forget them all past ``MAX_SCOPES``)."""
        if len(self.scope_keys) >= MAX_SCOPES:
            self.scope_keys.clear()
        self.scope_keys[scope] = keys

    def _store(self, request: HttpRequest, response: HttpResponse, key: str) -> dict | None:
        marked = getattr(response, page_cache.DEPENDS_ATTR, None)
        if (
            marked is None
            or response.status_code != 200
            or getattr(response, "streaming", False)
            or response.cookies
            or response.has_header("Content-Encoding")
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return None
        depends, ttl = marked
        depends = {**depends, **page_cache.extra_dependencies(request)}
        template = page_cache.split_placeholders(response.content)
        match = getattr(request, "resolver_match", None)
        entry = {
            "view": match.view_name if match and match.view_name else "page_cache",
            "depends": depends,
            "parts": template.parts,
            "names": template.names,
            "gzip_parts": gzip_segments.deflate_parts(template.parts),
            "digest": hashlib.sha1(response.content, usedforsecurity=False).hexdigest(),
            "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
            "stored_at": time.time(),
        }
        cache.set(key, entry, timeout=ttl)
        return entry

    def _fill_uncached(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A response rendered with placeholders but not stored (an error page, a redirect, a
        view that did not opt in): replace its placeholders with this request's values."""
        if not getattr(response, "streaming", False) and b"<!--bz:" in response.content:
            response.content = page_cache.split_placeholders(response.content).fill(request)
        self.csrf.process_response(request, response)
        return response

    def _respond(self, request: HttpRequest, entry: dict, *, hit: bool) -> HttpResponse:
        template = page_cache.Template(parts=entry["parts"], names=entry["names"])
        etag = page_cache.etag_for(request, entry["digest"], template.names)
        if etag in _if_none_match(request):
            response = HttpResponse(status=304)
        else:
            raw = template.fill(request)
            etag = page_cache.etag_for(request, entry["digest"], template.names)  # a new CSRF secret counts
            response = HttpResponse(raw)
            for name, value in entry["headers"].items():
                response[name] = value
            if gzip_segments.accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")) and len(raw) >= 200:
                values = template.fragment_values(request)
                response.content = gzip_segments.assemble(entry["gzip_parts"], values, raw)
                response["Content-Encoding"] = "gzip"
            if request.method == "HEAD":
                length = len(response.content)
                response.content = b""
                response["Content-Length"] = str(length)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(entry["stored_at"])
        response["Cache-Control"] = CACHE_CONTROL
        response["X-Page-Cache"] = "hit" if hit else "miss"
        patch_vary_headers(response, VARY)
        self.csrf.process_response(request, response)  # sets the CSRF cookie if the token made one
        return response


def _if_none_match(request: HttpRequest) -> set[str]:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return {tag.strip() for tag in header.split(",") if tag.strip()}
