"""The orders console, mounted at ``/a/<tenant_slug>/orders/``."""

from django.urls import path

from apps.orders import console_customers, console_exports
from apps.orders import console_views as views

app_name = "orders-console"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("settings/", views.selling_settings, name="settings"),
    path("<int:number>/", views.order_detail, name="detail"),
    path("<int:number>/action", views.order_action, name="action"),
    path("export", console_exports.export_start, name="export"),
    path("exports/<int:pk>/", console_exports.export_job, name="export-job"),
    path("exports/<int:pk>/download", console_exports.export_download, name="export-download"),
    path("customers/", console_customers.customer_list, name="customers"),
    path("customers/view/", console_customers.customer_detail, name="customer"),
    path("customers/export/", console_customers.customer_export, name="customer-export"),
    path("customers/erase/", console_customers.customer_erase, name="customer-erase"),
]
