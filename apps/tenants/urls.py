"""Tenant pages outside the console, mounted at ``/``."""

from django.urls import path

from apps.tenants import views

app_name = "tenants"

urlpatterns = [
    path("tenants/", views.tenant_list, name="list"),
    path("tenants/new/", views.tenant_create, name="create"),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation"),
]
