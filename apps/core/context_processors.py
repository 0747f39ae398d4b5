"""Template context available on every page."""

from django.conf import settings


def site(request):
    """The request id (shown on error pages) and the site's base URL."""
    return {
        "request_id": getattr(request, "request_id", ""),
        "SITE_URL": settings.SITE_URL,
    }
