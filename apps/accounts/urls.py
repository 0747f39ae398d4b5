"""Account pages: ``/account/`` (profile). allauth's pages live under ``/accounts/`` (URL names
``account_signup``, ``account_login``, ``account_logout``, ``account_email_verification_sent``,
``account_confirm_email``, ``account_reset_password``, ``account_change_password``, ``mfa_index``)."""

from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.profile, name="profile"),
    path("account/sign-out-everywhere", views.sign_out_everywhere, name="sign_out_everywhere"),
]
