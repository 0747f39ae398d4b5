"""Payments API, mounted at ``/api/v1/t/<tenant_slug>/payments/``."""

from django.urls import path

from apps.payments.api import views

app_name = "payments-api"

urlpatterns = [
    path("webhooks/stripe", views.StripeWebhookView.as_view(), name="stripe-webhook"),
]
