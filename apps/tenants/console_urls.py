"""The tenants part of the console, mounted at ``/a/<tenant_slug>/``."""

from django.urls import path

from apps.tenants import views

app_name = "tenant-console"

urlpatterns = [
    path("", views.console_home, name="home"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_id>/role/", views.member_role, name="member-role"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member-remove"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("leave/", views.leave, name="leave"),
    path("settings/", views.tenant_settings, name="settings"),
    path("settings/logo/", views.tenant_logo, name="logo"),
    path("delete/", views.tenant_delete, name="delete"),
]
