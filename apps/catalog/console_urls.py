"""The catalog console, mounted at ``/a/<tenant_slug>/catalog/``."""

from django.urls import path

from apps.catalog import (
    console_image_views,
    console_import_views,
    console_variant_views,
    content_views,
    menu_views,
    preview_views,
)
from apps.catalog import console_views as views

app_name = "catalog-console"

urlpatterns = [
    path("", views.product_list, name="products"),
    path("products/new", views.product_create, name="product-create"),
    path("products/<int:pk>/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/delete", views.product_delete, name="product-delete"),
    path("products/<int:pk>/preview", preview_views.product_preview, name="product-preview"),
    path("products/<int:pk>/variants/new", views.variant_add, name="variant-add"),
    path("products/<int:pk>/variants/<int:variant_id>/", views.variant_edit, name="variant-edit"),
    path("products/<int:pk>/variants/matrix", console_variant_views.variant_matrix_page, name="variant-matrix"),
    path("products/<int:pk>/images/new", views.image_add, name="image-add"),
    path("products/<int:pk>/images/order", console_image_views.image_order, name="image-order"),
    path("products/<int:pk>/images/<int:image_id>/move", console_image_views.image_move, name="image-move"),
    path("products/<int:pk>/images/<int:image_id>/alt", console_image_views.image_alt, name="image-alt"),
    path("products/<int:pk>/images/<int:image_id>/delete", views.image_delete, name="image-delete"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<int:pk>/", views.category_edit, name="category-edit"),
    path("import/", views.import_page, name="import"),
    path("import/preview", console_import_views.import_preview_upload, name="import-preview-upload"),
    path("import/preview/<str:token>/", console_import_views.import_preview_page, name="import-preview"),
    path(
        "import/preview/<str:token>/errors.csv",
        console_import_views.import_preview_errors,
        name="import-preview-errors",
    ),
    path("import/template.csv", console_import_views.import_template, name="import-template"),
    path("export", views.export_start, name="export"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/download", views.job_download, name="job-download"),
    path("pages/", content_views.page_list, name="pages"),
    path("pages/<slug:kind>/", content_views.page_edit, name="page-edit"),
    path("menus/", menu_views.menu_list, name="menus"),
    path("menus/<int:item_id>/move", menu_views.menu_item_move, name="menu-item-move"),
    path("menus/<int:item_id>/delete", menu_views.menu_item_delete, name="menu-item-delete"),
]
