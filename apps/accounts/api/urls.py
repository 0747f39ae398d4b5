"""Accounts API, mounted at ``/api/v1/``."""

from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="api-auth-register"),
    path("auth/token", views.TokenObtainView.as_view(), name="api-auth-token"),
    path("auth/token/mfa", views.TokenMfaView.as_view(), name="api-auth-token-mfa"),
    path("auth/token/refresh", views.TokenRefreshView.as_view(), name="api-auth-token-refresh"),
    path("auth/logout", views.LogoutView.as_view(), name="api-auth-logout"),
    path("auth/logout-all", views.LogoutAllView.as_view(), name="api-auth-logout-all"),
    path("me", views.MeView.as_view(), name="api-me"),
]
