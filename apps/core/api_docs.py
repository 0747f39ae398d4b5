"""The human API documentation at ``/api/v1/docs/``: Redoc, served from our own static files.

Redoc styles itself at run time (styled-components inserts ``<style>`` rules) and parses the
schema in a blob worker, so this one page gets a Content-Security-Policy that allows inline styles
and blob workers; scripts still come only from this site, and every other page keeps the strict
policy. (Redoc's "powered by" logo points at its CDN; the policy blocks that image, nothing else.)
"""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

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
