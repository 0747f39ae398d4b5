"""The promotions staff API, mounted at ``/api/v1/t/<tenant_slug>/promotions/``."""

from django.urls import path

from apps.promotions.api import views

app_name = "promotions-api"

urlpatterns = [
    path("vouchers/", views.VoucherListView.as_view(), name="voucher-list"),
    path("vouchers/<int:voucher_id>/", views.VoucherDetailView.as_view(), name="voucher-detail"),
]
