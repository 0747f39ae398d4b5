"""The invoices API, mounted at ``/api/v1/t/<tenant_slug>/`` beside the orders API."""

from django.urls import path

from apps.invoices.api import views

app_name = "invoices-api"

urlpatterns = [
    path("orders/<int:number>/invoices/", views.OrderInvoicesView.as_view(), name="order-invoices"),
    path("orders/<int:number>/invoices/<int:invoice_id>/pdf/", views.InvoicePdfView.as_view(), name="invoice-pdf"),
]
