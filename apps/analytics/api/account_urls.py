"""The data subject's privacy API, mounted at ``/api/v1/``."""

from django.urls import path

from apps.analytics.api import privacy_views

app_name = "privacy-api"

urlpatterns = [
    path("me/export", privacy_views.ExportMyDataView.as_view(), name="export"),
    path("me/erase", privacy_views.EraseMeView.as_view(), name="erase"),
    path("me/consent", privacy_views.ConsentView.as_view(), name="consent"),
]
