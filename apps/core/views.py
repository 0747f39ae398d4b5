"""Platform views: home, health, metrics, and the error handlers (HTML or JSON by path)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from apps.core import health, metrics
from apps.core.errors import error_response
from apps.core.middleware import is_api_path


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what Bazaar is and where to go next."""
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: answers while the process lives, touches no dependency.

    Normally answered earlier by ``HealthCheckMiddleware`` (whatever the Host header); this view
    keeps the URL name and serves if the middleware is not installed.
    """
    return health.liveness_response()


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache and broker; 503 naming whichever failed."""
    return health.readiness_response()


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition, only for the metrics token or an allow-listed address."""
    if not metrics.is_metrics_request_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    body, content_type = metrics.render_metrics()
    return HttpResponse(body, content_type=content_type)


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if is_api_path(request.path):
        return error_response(status)
    context = {"status": status, "title": title, "message": message}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """400 handler."""

    if isinstance(exception, RequestDataTooBig):
        return _error_page(request, 413, "Too large", "What you sent is larger than we accept.")
    return _error_page(request, 400, "Bad request", "We could not understand that request.")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """403 handler."""
    return _error_page(request, 403, "Not allowed", "You do not have permission to see this page.")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404 handler."""
    return _error_page(request, 404, "Page not found", "We could not find that page.")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 handler: nothing about internals, only the request id to quote."""
    return _error_page(request, 500, "Something went wrong", "We have been told and will look into it.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF failures: the same 403 page (or error shape), never Django's debug text."""
    if is_api_path(request.path):
        return error_response(403, "csrf_failed", "CSRF verification failed.")
    return _error_page(request, 403, "Form expired", "Reload the page and try again.")


@csrf_exempt  # an unknown path is a 404 for every method, never a CSRF refusal
def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any path under ``/api/`` that matches no endpoint: a JSON 404."""
    return error_response(404, "not_found", "No API endpoint at this path.")
