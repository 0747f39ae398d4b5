"""The catalog console, mounted at ``/a/<tenant_slug>/catalog/``."""

from django.urls import path

from apps.catalog import console_views as views
from apps.catalog import content_views

app_name = "catalog-console"

urlpatterns = [
    path("", views.product_list, name="products"),
    path("products/new", views.product_create, name="product-create"),
    path("products/<int:pk>/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/delete", views.product_delete, name="product-delete"),
    path("products/<int:pk>/variants/new", views.variant_add, name="variant-add"),
    path("products/<int:pk>/variants/<int:variant_id>/", views.variant_edit, name="variant-edit"),
    path("products/<int:pk>/images/new", views.image_add, name="image-add"),
    path("products/<int:pk>/images/<int:image_id>/delete", views.image_delete, name="image-delete"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<int:pk>/", views.category_edit, name="category-edit"),
    path("import/", views.import_page, name="import"),
    path("export", views.export_start, name="export"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/download", views.job_download, name="job-download"),
    path("pages/", content_views.page_list, name="pages"),
    path("pages/<slug:kind>/", content_views.page_edit, name="page-edit"),
]
