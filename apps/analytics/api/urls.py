"""Tenant-scoped analytics API, mounted at ``/api/v1/t/<tenant_slug>/analytics/``."""

from django.urls import path

from apps.analytics.api import views

app_name = "analytics-api"

urlpatterns = [
    path("events", views.IngestEventsView.as_view(), name="events"),
    path("reports/<str:report>", views.ReportView.as_view(), name="report"),
]
