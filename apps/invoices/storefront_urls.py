"""The shopper's invoice download, mounted at ``/s/<tenant_slug>/``."""

from django.urls import path

from apps.invoices import storefront_views as views

app_name = "invoices-storefront"

urlpatterns = [
    path("orders/view/<str:token>/invoice.pdf", views.guest_pdf, name="guest-pdf"),
]
