"""The invoices console, mounted at ``/a/<tenant_slug>/invoices/``."""

from django.urls import path

from apps.invoices import console_views as views

app_name = "invoices-console"

urlpatterns = [
    path("settings/", views.invoice_settings, name="settings"),
    path("orders/<int:number>/pdf", views.order_pdf, name="order-pdf"),
    path("orders/<int:number>/request", views.order_request, name="order-request"),
]
