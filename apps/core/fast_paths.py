"""Lean paths: registered views answered right after the health checks, without the session,
CSRF, auth, messages, allauth and axes middleware, for anonymous machine traffic that needs none
of them (the analytics beacon: one small POST per page view; the public catalog API's GETs).

An app registers a URL name (``register_fast_path("analytics-api:events", methods=("POST",))``)
in its ``AppConfig.ready``; core never imports it. A request takes the lean path only when its
method is registered, it carries no session cookie and no ``Authorization`` header (a signed-in
caller goes through the whole stack, so its user is known), and its path resolves to a
registered name. The request id, metrics, security headers and the access log (the middleware
above this one) still apply; an unexpected exception becomes the API's generic 500.
"""

from __future__ import annotations

import logging

import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from apps.core.errors import error_response, exception_to_response

logger = logging.getLogger("bazaar.errors")

_ROUTES: dict[str, tuple[frozenset[str], str]] = {}  # url name -> (methods, path prefix)
_METHODS: set[str] = set()
_PREFIXES: set[str] = set()


def register_fast_path(url_name: str, *, methods: tuple[str, ...] = ("POST",), path_prefix: str = "/") -> None:
    """Serve the view named ``url_name`` on the lean path for ``methods``. ``path_prefix`` (the
    start of the view's paths) spares every other request the URL resolution."""
    _ROUTES[url_name] = (frozenset(method.upper() for method in methods), path_prefix)
    _refresh()


def unregister_fast_path(url_name: str) -> None:
    """Send ``url_name`` through the whole stack again (tests that register their own)."""
    _ROUTES.pop(url_name, None)
    _refresh()


def _refresh() -> None:
    _METHODS.clear()
    _PREFIXES.clear()
    for methods, prefix in _ROUTES.values():
        _METHODS.update(methods)
        _PREFIXES.add(prefix)


def is_lean_candidate(request: HttpRequest) -> bool:
    """Whether ``request`` may take a lean path (before its URL is resolved)."""
    return (
        request.method in _METHODS
        and request.path_info.startswith(tuple(_PREFIXES))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class FastPathMiddleware:
    """Call a registered view directly; every other request continues down the stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_lean_candidate(request):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if request.method not in _ROUTES.get(match.view_name, ((), ""))[0]:
            return self.get_response(request)
        request.get_host()  # the Host check CommonMiddleware would make (DisallowedHost -> 400)
        request.resolver_match = match
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()  # what Django's handler does for a DRF Response
            return response
        except Exception as exc:  # the lean path has no ApiErrorMiddleware below it
            response = exception_to_response(exc)
            if response is not None:
                return response
            logger.exception("unhandled exception in %s %s", request.method, request.path)
            sentry_sdk.capture_exception(exc)
            return error_response(500)
