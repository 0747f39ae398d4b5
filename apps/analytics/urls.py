"""Platform-level analytics pages: the privacy self-service page at ``/privacy/``."""

from django.urls import path

from apps.analytics.privacy import views

app_name = "analytics-privacy"

urlpatterns = [
    path("privacy/", views.privacy_home, name="home"),
    path("privacy/consent/", views.privacy_consent, name="consent"),
    path("privacy/export/", views.privacy_export, name="export"),
    path("privacy/erase/", views.privacy_erase, name="erase"),
    path("privacy/erase/cancel/<str:token>/", views.privacy_erase_cancel, name="erase-cancel"),
    path("privacy/exports/<str:token>/", views.privacy_export_download, name="export-download"),
]
