"""Tenant-scoped API, mounted under ``/api/v1/t/<tenant_slug>/``."""

from django.urls import path

from apps.tenants.api import views

app_name = "tenant-api"

urlpatterns = [
    path("", views.TenantDetailView.as_view(), name="detail"),
    path("leave", views.LeaveTenantView.as_view(), name="leave"),
    path("members/", views.MemberListView.as_view(), name="members"),
    path("members/<int:membership_id>/", views.MemberDetailView.as_view(), name="member"),
    path("invitations/", views.InvitationListView.as_view(), name="invitations"),
    path("invitations/<int:invitation_id>/", views.InvitationDetailView.as_view(), name="invitation"),
    path("audit/", views.AuditEntryListView.as_view(), name="audit"),
]
