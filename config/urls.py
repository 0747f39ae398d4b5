"""Root URL configuration. Each app owns its URL modules; this file only mounts them.

- ``/``                         platform pages (home, health, metrics)
- ``/accounts/``                allauth's sign-up, login, email, password and MFA pages
- ``/account/``, ``/tenants/``  our account and tenant pages
- ``/a/<tenant_slug>/...``      the staff console (members only)
- ``/s/<tenant_slug>/...``      the public storefront
- ``/api/v1/...``               the REST API; ``/api/v1/t/<tenant_slug>/...`` is tenant-scoped
"""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from apps.core import views as core_views
from apps.core.api_docs import ApiDocsView, api_getting_started

tenant_api_patterns = [
    path("", include("apps.tenants.api.tenant_urls")),
    path("catalog/", include("apps.catalog.api.urls")),
    path("analytics/", include("apps.analytics.api.urls")),
    path("", include("apps.orders.api.urls")),
    path("promotions/", include("apps.promotions.api.urls")),
    path("payments/", include("apps.payments.api.urls")),
    path("", include("apps.invoices.api.urls")),
]

api_v1_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("docs/getting-started/", api_getting_started, name="api-getting-started"),
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.tenants.api.urls")),
    path("", include("apps.analytics.api.account_urls")),
    path("t/<slug:tenant_slug>/", include(tenant_api_patterns)),
]

console_patterns = [
    path("", include("apps.tenants.console_urls")),
    path("catalog/", include("apps.catalog.console_urls")),
    path("analytics/", include("apps.analytics.console_urls")),
    path("orders/", include("apps.orders.console_urls")),
    path("promotions/", include("apps.promotions.console_urls")),
    path("payments/", include("apps.payments.console_urls")),
    path("invoices/", include("apps.invoices.console_urls")),
]

urlpatterns = [
    path("", include("apps.core.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.tenants.urls")),
    path("", include("apps.analytics.urls")),
    path("api/v1/", include(api_v1_patterns)),
    # Anything else under /api/ is a JSON 404, never an HTML page.
    re_path(r"^api(/.*)?$", core_views.api_not_found),
    path("a/<slug:tenant_slug>/", include(console_patterns)),
    path("s/<slug:tenant_slug>/", include("apps.catalog.storefront_urls")),
    path("s/<slug:tenant_slug>/", include("apps.orders.storefront_urls")),
    path("s/<slug:tenant_slug>/", include("apps.invoices.storefront_urls")),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
