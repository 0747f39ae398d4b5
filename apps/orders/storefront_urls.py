"""The shopper's pages, mounted at ``/s/<tenant_slug>/`` beside the catalog storefront."""

from django.urls import path

from apps.orders import storefront_views as views

app_name = "orders-storefront"

urlpatterns = [
    path("orders/view/<str:token>/", views.guest_order, name="guest-order"),
]
