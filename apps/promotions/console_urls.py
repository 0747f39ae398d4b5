"""The promotions console, mounted at ``/a/<tenant_slug>/promotions/``."""

from django.urls import path

from apps.promotions import console_views as views

app_name = "promotions-console"

urlpatterns = [
    path("", views.promotion_list, name="list"),
    path("vouchers/new/", views.voucher_create, name="voucher-create"),
    path("vouchers/<int:voucher_id>/", views.voucher_edit, name="voucher-edit"),
    path("sales/new/", views.sale_create, name="sale-create"),
    path("sales/<int:sale_id>/", views.sale_edit, name="sale-edit"),
]
