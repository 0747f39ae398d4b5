"""Request-wide middleware: request ids, security headers, the API error contract, access logs."""

from __future__ import annotations

import json
import logging
import time

import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from apps.core import context, health
from apps.core.errors import error_response, exception_to_response
from apps.core.request_id import HEADER, accept_request_id

access_logger = logging.getLogger("bazaar.access")
error_logger = logging.getLogger("bazaar.errors")


def is_api_path(path: str) -> bool:
    """True for paths served by the JSON API (``/api/...``)."""
    return path == "/api" or path.startswith("/api/")


class RequestIdMiddleware:
    """Outermost: accept or make the request id, put it on every response, and write the one
    access line of the request (so redirects, static files and early refusals are logged too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = accept_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        tokens = (
            context.request_id_var.set(request_id),
            context.tenant_var.set(None),
            context.user_id_var.set(None),
        )
        sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)  # events also get it in before_send
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if context.user_id_var.get() is None:
                _bind_user(request, evaluate=False)  # DRF authenticates inside the view (JWT)
            _log_access(request, response, started)
            return response
        finally:
            context.request_id_var.reset(tokens[0])
            context.tenant_var.reset(tokens[1])
            context.user_id_var.reset(tokens[2])


def _log_access(request: HttpRequest, response: HttpResponse, started: float) -> None:
    access_logger.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        if not getattr(response, "xframe_options_exempt", False):
            # Also on responses made before XFrameOptionsMiddleware runs (health probes, static files).
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class HealthCheckMiddleware:
    """Answer ``GET /healthz`` and ``/readyz`` before host validation.

    Orchestrators probe a container by its own address (``127.0.0.1:8000``, a pod IP), which is not
    in ``ALLOWED_HOSTS``: through the normal stack the probe would get a 400. Placed before
    ``CommonMiddleware`` (the first to validate the host), after the security headers.
    """

    RESPONDERS = {
        "/healthz": ("core:healthz", health.liveness_response),
        "/readyz": ("core:readyz", health.readiness_response),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        responder = self.RESPONDERS.get(request.path_info)
        if responder is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        request.metrics_view_name, respond = responder
        return respond()


class ApiErrorMiddleware:
    """Keep every non-2xx response under ``/api/`` in the error shape.

    - exceptions that escape an API view become JSON (unexpected ones: a generic 500, logged with
      their traceback and sent to Sentry);
    - error responses made elsewhere (Django's 405 for a wrong method, the CSRF failure page) are
      rewritten into the shape, keeping headers such as ``Allow`` and ``Retry-After``.
    """

    KEEP_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_path(request.path) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") and _is_error_shape(response):
            return response
        replacement = error_response(response.status_code)
        for name in self.KEEP_HEADERS:
            if name in response:
                replacement[name] = response[name]
        return replacement

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_api_path(request.path):
            return None
        response = exception_to_response(exc)
        if response is not None:
            return response
        error_logger.exception("unhandled exception in %s %s", request.method, request.path)
        sentry_sdk.capture_exception(exc)
        return error_response(500)


def _is_error_shape(response: HttpResponse) -> bool:
    if getattr(response, "streaming", False):
        return False
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), dict) and "code" in body["error"]


class AccessLogMiddleware:
    """Bind the authenticated user's id to the request context once authentication has run, so
    every later log line (and Sentry event) of the request carries it. The access line itself is
    written by ``RequestIdMiddleware``, the outermost middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _bind_user(request)
        return self.get_response(request)


def _bind_user(request: HttpRequest, *, evaluate: bool = True) -> None:
    """Record the authenticated user's public id (never the email) for logs and Sentry.

    With ``evaluate=False`` a lazy, not yet loaded ``request.user`` is left alone (no query).
    """
    user = getattr(request, "user", None)
    if user is None:
        return
    wrapped = getattr(user, "_wrapped", user)
    if not evaluate and wrapped is empty:
        return
    if user.is_authenticated:
        user_id = str(getattr(user, "public_id", None) or user.pk)
        context.set_user_id(user_id)
        sentry_sdk.get_isolation_scope().set_user({"id": user_id})
