"""The production URLconf plus ``/bench/floor``: the framework floor (a bare fixed response
through the full middleware stack). Only loaded by ``bench.settings``, never in production."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as production_patterns


def floor(request):
    """A small fixed response: what the framework costs with no work in the view."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bench/floor", floor, name="bench-floor"), *production_patterns]
