"""The catalog API, mounted at ``/api/v1/t/<tenant_slug>/catalog/``."""

from django.urls import path

from apps.catalog.api import views

app_name = "catalog-api"

urlpatterns = [
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/bulk", views.ProductBulkView.as_view(), name="product-bulk"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("products/<int:pk>/variants/", views.VariantListView.as_view(), name="variant-list"),
    path("products/<int:pk>/variants/<int:variant_id>/", views.VariantDetailView.as_view(), name="variant-detail"),
    path("products/<int:pk>/images/", views.ImageListView.as_view(), name="image-list"),
    path("products/<int:pk>/images/<int:image_id>/", views.ImageDetailView.as_view(), name="image-detail"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("categories/<int:pk>/", views.CategoryDetailView.as_view(), name="category-detail"),
    path("public/products/", views.PublicProductListView.as_view(), name="public-product-list"),
    path("public/products/<slug:slug>/", views.PublicProductDetailView.as_view(), name="public-product-detail"),
    path("public/categories/", views.PublicCategoryListView.as_view(), name="public-category-list"),
]
