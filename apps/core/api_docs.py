"""The human API documentation at ``/api/v1/docs/``: Redoc, served from our own static files.

Redoc styles itself at run time (styled-components inserts ``<style>`` rules) and parses the
schema in a blob worker, so this one page gets a Content-Security-Policy that allows inline styles
and blob workers; scripts still come only from this site, and every other page keeps the strict
policy. (Redoc's "powered by" logo points at its CDN; the policy blocks that image, nothing else.)
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

from apps.core.markdown import render_markdown

DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ApiDocsView(SpectacularRedocView):
    """Redoc over ``/api/v1/schema/`` with a CSP fitted to it (see the module docstring)."""

    template_name = "core/api_docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


def api_getting_started(request: HttpRequest) -> HttpResponse:
    """``/api/v1/docs/getting-started/``: the guide to a first call (a token, refresh, the shop's
    path, paging, errors, idempotency), written in Markdown and rendered with our own sanitiser."""
    context = {
        "base": request.build_absolute_uri("/").rstrip("/"),
        "docs_url": reverse("api-docs"),
        "schema_url": reverse("api-schema"),
        "access_web": int(settings.JWT_ACCESS_LIFETIME_WEB.total_seconds() // 60),
        "access_mobile": int(settings.JWT_ACCESS_LIFETIME_MOBILE.total_seconds() // 60),
        "refresh_days": settings.JWT_REFRESH_LIFETIME.days,
    }
    source = render_to_string("core/api_getting_started.md", context)
    return render(request, "core/api_getting_started.html", {"guide": render_markdown(source, page_heading=True)})
