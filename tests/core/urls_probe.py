"""The project's URLs plus test-only probe views (``@pytest.mark.urls("tests.core.urls_probe")``)."""

from django.urls import include, path

from config import urls as project_urls
from tests.core import probe_views as views

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

api_probe = [
    path("open/", views.OpenView.as_view(), name="probe-open"),
    path("private/", views.PrivateView.as_view(), name="probe-private"),
    path("forbidden/", views.ForbiddenView.as_view(), name="probe-forbidden"),
    path("service/<str:kind>/", views.ServiceErrorView.as_view(), name="probe-service"),
    path("throttled/", views.ThrottledView.as_view(), name="probe-throttled"),
    path("plain-crash/", views.plain_django_crash, name="probe-plain-crash"),
    path("enqueue/", views.enqueue_probe, name="probe-enqueue"),
    path("plain-post-only/", views.plain_post_only, name="probe-plain-post-only"),
]

html_probe = [
    path("bad-request/", views.html_bad_request),
    path("forbidden/", views.html_forbidden),
    path("crash/", views.html_crash),
    path("echo/", views.html_echo),
    path("router/", views.router_probe),
    path("post-only/", views.plain_post_only),
    path("embeddable/", views.embeddable),
]

urlpatterns = [
    path("api/probe/", include(api_probe)),
    path("probe/", include(html_probe)),
    *project_urls.urlpatterns,
]
