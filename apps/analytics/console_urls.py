"""Analytics console pages, mounted at ``/a/<tenant_slug>/analytics/``."""

from django.urls import path

from apps.analytics import views
from apps.analytics.privacy import views as privacy_views

app_name = "analytics-console"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports/", views.export_report, name="export"),
    path("exports/<str:token>/", views.export_download, name="export-download"),
    path("settings/", views.analytics_settings, name="settings"),
    path("erase/", privacy_views.erase_tenant, name="erase-tenant"),
]
