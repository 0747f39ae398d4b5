"""The orders console, mounted at ``/a/<tenant_slug>/orders/``."""

from django.urls import path

from apps.orders import console_views as views

app_name = "orders-console"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("settings/", views.selling_settings, name="settings"),
    path("<int:number>/", views.order_detail, name="detail"),
    path("<int:number>/action", views.order_action, name="action"),
]
