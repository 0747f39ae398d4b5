"""The orders console, mounted at ``/a/<tenant_slug>/orders/``."""

from django.urls import path

from apps.orders import console_aftersales as aftersales
from apps.orders import console_customers, console_exports
from apps.orders import console_views as views

app_name = "orders-console"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("settings/", views.selling_settings, name="settings"),
    path("<int:number>/", views.order_detail, name="detail"),
    path("bulk", aftersales.bulk_action, name="bulk"),
    path("packing-slips/", aftersales.packing_slips, name="packing-slips"),
    path("<int:number>/fulfil", aftersales.fulfil, name="fulfil"),
    path("<int:number>/cancel", aftersales.cancel, name="cancel"),
    path("<int:number>/refund", aftersales.refund, name="refund"),
    path("<int:number>/return", aftersales.record_return, name="return"),
    path("<int:number>/notes", aftersales.add_note, name="notes"),
    path("export", console_exports.export_start, name="export"),
    path("exports/<int:pk>/", console_exports.export_job, name="export-job"),
    path("exports/<int:pk>/download", console_exports.export_download, name="export-download"),
    path("customers/", console_customers.customer_list, name="customers"),
    path("customers/view/", console_customers.customer_detail, name="customer"),
    path("customers/export/", console_customers.customer_export, name="customer-export"),
    path("customers/erase/", console_customers.customer_erase, name="customer-erase"),
]
