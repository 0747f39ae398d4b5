"""The payments console, mounted at ``/a/<tenant_slug>/payments/``."""

from django.urls import path

from apps.payments import console_views as views

app_name = "payments-console"

urlpatterns = [
    path("", views.provider_settings, name="settings"),
    path("orders/<int:order_id>/mark-paid", views.mark_paid, name="mark-paid"),
]
