"""Unscoped tenants API, mounted under ``/api/v1/``."""

from django.urls import path

from apps.tenants.api import views

app_name = "tenants-api"

urlpatterns = [
    path("tenants", views.MyTenantsView.as_view(), name="my-tenants"),
    path("invitations/<str:token>/accept", views.AcceptInvitationView.as_view(), name="invitation-accept"),
]
