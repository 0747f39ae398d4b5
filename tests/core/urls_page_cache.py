"""The project's URLs plus a probe page with a cart-style fragment, for the page cache tests
and a lean-path probe (``@pytest.mark.urls("tests.core.urls_page_cache")``)."""

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.core import page_cache
from config import urls as project_urls

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

PAGE = engines["django"].from_string(
    "{% load page_cache %}<!doctype html><html><body><p>catalog {{ version }}</p>"
    '<p id="cart">{% per_request "probe_cart" %}</p><p id="csrf">{% per_request "csrf_token" %}</p>'
    '<p id="rid">{% per_request "request_id" %}</p><form method="post">{% csrf_token %}</form>'
    "<p>{{ filler }}</p></body></html>"
)
VERSION_KEY = "probe:version"
RENDERS = {"count": 0}


def probe_page(request):
    """A cacheable page depending on ``probe:version`` (its text shows the version it saw)."""
    RENDERS["count"] += 1
    version = cache.get(VERSION_KEY, 1)
    response = HttpResponse(PAGE.render({"version": version, "filler": "word " * 100}, request))
    page_cache.cache_response(response, depends_on={VERSION_KEY: cache.get(VERSION_KEY)}, ttl=60)
    return response


def probe_uncacheable(request):
    """A page with a fragment whose view does not opt in: filled, never stored."""
    RENDERS["count"] += 1
    return HttpResponse(PAGE.render({"version": 0, "filler": ""}, request))


@csrf_exempt
def probe_lean(request):
    """Says which middleware ran: the lean path has no session and no user."""
    if request.GET.get("crash"):
        raise RuntimeError("probe crash")
    return JsonResponse({"session": hasattr(request, "session"), "user": hasattr(request, "user")})


urlpatterns = [
    path("probe-lean/", probe_lean, name="probe-lean"),
    path("probe-page/cached/", probe_page),
    path("probe-page/plain/", probe_uncacheable),
    *project_urls.urlpatterns,
]
