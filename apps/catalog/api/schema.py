"""OpenAPI documentation of the catalog API: examples, list parameters and error codes per operation.

Each constant is the ``extend_schema`` arguments of one view method (``@extend_schema(**CATALOG_PRODUCTS_CREATE)``);
the generic error statuses come from ``apps.core.schema.add_error_responses``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

from apps.catalog.api.pagination import CatalogCursorPagination
from apps.catalog.api.serializers import (
    BulkInputSerializer,
    BulkOutputSerializer,
    CategoryInputSerializer,
    CategorySerializer,
    ImageInputSerializer,
    ImageSerializer,
    ProductInputSerializer,
    ProductSerializer,
    PublicCategorySerializer,
    PublicProductCardSerializer,
    PublicProductSerializer,
    VariantInputSerializer,
    VariantSerializer,
)
from apps.catalog.filters import SORTS
from apps.catalog.models import ProductStatus
from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example, limit_parameter

PRODUCT_EXAMPLE = {
    "id": 101,
    "public_id": "1f0e7a52-8f4d-4e0a-9c1b-3d2e6f7a8b9c",
    "name": "Trail Running Shoe",
    "slug": "trail-running-shoe",
    "description": "Light and grippy.",
    "status": "published",
    "category": 3,
    "attributes": {"brand": "Acme", "color": "red"},
    "seo_title": "",
    "seo_description": "",
    "price_min": "89.90",
    "price_max": "89.90",
    "currency": "EUR",
    "stock_total": 12,
    "in_stock": True,
    "variants": [
        {
            "id": 501,
            "sku": "TRS-42",
            "options": {"size": "42"},
            "price": "89.90",
            "compare_at_price": None,
            "currency": "EUR",
            "stock": 12,
            "low_stock_threshold": 5,
            "position": 0,
            "stock_status": "in_stock",
            "created_at": "2026-11-26T13:00:00Z",
            "updated_at": "2026-11-26T13:00:00Z",
        }
    ],
    "images": [],
    "created_at": "2026-11-26T13:00:00Z",
    "updated_at": "2026-11-26T13:00:00Z",
}
CREATE_EXAMPLE = {
    "name": "Trail Running Shoe",
    "status": "published",
    "category": 3,
    "attributes": {"brand": "Acme", "color": "red"},
    "variants": [{"sku": "TRS-42", "options": {"size": "42"}, "price": "89.90", "stock": 12}],
}
PRICE_BOUND = {"type": "string", "pattern": r"^$|^\d{1,10}(?:\.\d{1,2})?$"}
LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Search (prefix and typo tolerant)"),
    OpenApiParameter("category", str, description="Category slug; includes its descendants"),
    OpenApiParameter("price_min", PRICE_BOUND, description="Lowest price, 0 to 9999999999.99; empty: none"),
    OpenApiParameter("price_max", PRICE_BOUND, description="Highest price, 0 to 9999999999.99; empty: none"),
    OpenApiParameter("in_stock", str, description="`1`, `true`, `on` or `yes`: only products in stock; else all"),
    OpenApiParameter("status", str, enum=["", *ProductStatus.values], description="Members only; empty: all"),
    OpenApiParameter(
        "ordering", str, enum=["", *sorted(SORTS)], description="`relevance` needs `q`; empty: the default order"
    ),
    limit_parameter(CatalogCursorPagination.page_size),
    OpenApiParameter("cursor", str, description="From `next` or `previous`"),
]
EDIT_DENIED = {403: ([ErrorCode.PERMISSION_DENIED], "Your role lacks catalog.edit.")}
IN_USE = {409: ([ErrorCode.CONFLICT], "The slug or a SKU was taken meanwhile.")}
WRITE_ERRORS = error_responses({**EDIT_DENIED, **IN_USE})

CATALOG_PRODUCTS_LIST = {
    "operation_id": "catalog_products_list",
    "summary": "Products of the shop (all statuses for members)",
    "parameters": LIST_PARAMETERS,
    "responses": {200: ProductSerializer(many=True)},
    "examples": [example("Page", {"next": None, "previous": None, "results": [PRODUCT_EXAMPLE]}, response_only=True)],
}
CATALOG_PRODUCTS_CREATE = {
    "operation_id": "catalog_products_create",
    "summary": "Create a product with its variants (catalog.edit)",
    "request": ProductInputSerializer,
    "responses": {201: ProductSerializer, **WRITE_ERRORS},
    "examples": [
        example("Create", CREATE_EXAMPLE, request_only=True),
        example("Created", PRODUCT_EXAMPLE, response_only=True, status_codes=["201"]),
    ],
}
CATALOG_PRODUCTS_RETRIEVE = {
    "operation_id": "catalog_products_retrieve",
    "summary": "A product",
    "responses": {200: ProductSerializer},
}
CATALOG_PRODUCTS_UPDATE = {
    "operation_id": "catalog_products_update",
    "summary": "Replace a product's fields (catalog.edit); fields left out take their defaults",
    "request": ProductInputSerializer,
    "responses": {200: ProductSerializer, **WRITE_ERRORS},
}
CATALOG_PRODUCTS_PARTIAL_UPDATE = {
    "operation_id": "catalog_products_partial_update",
    "summary": "Change some of a product's fields (catalog.edit)",
    "request": ProductInputSerializer,
    "responses": {200: ProductSerializer, **WRITE_ERRORS},
    "examples": [example("Publish", {"status": "published"}, request_only=True)],
}
CATALOG_PRODUCTS_DESTROY = {
    "operation_id": "catalog_products_destroy",
    "summary": "Delete a product",
    "responses": {204: None, **error_responses(EDIT_DENIED)},
}
CATALOG_PRODUCTS_BULK = {
    "operation_id": "catalog_products_bulk",
    "summary": "Upsert up to 500 products by slug (catalog.edit); each item succeeds or fails on its own",
    "request": BulkInputSerializer,
    "responses": {200: BulkOutputSerializer, **error_responses(EDIT_DENIED)},
    "examples": [
        example("Bulk", {"items": [CREATE_EXAMPLE]}, request_only=True),
        example(
            "Results",
            {
                "results": [
                    {"index": 0, "status": "created", "id": 101, "error": None},
                    {
                        "index": 1,
                        "status": "error",
                        "id": None,
                        "error": {"code": "validation_error", "message": "price: Must be zero or more.", "details": {}},
                    },
                ]
            },
            response_only=True,
        ),
    ],
}
CATALOG_VARIANTS_LIST = {
    "operation_id": "catalog_variants_list",
    "summary": "Variants of a product",
    "responses": {200: VariantSerializer(many=True)},
}
CATALOG_VARIANTS_CREATE = {
    "operation_id": "catalog_variants_create",
    "summary": "Add a variant (catalog.edit)",
    "request": VariantInputSerializer,
    "responses": {201: VariantSerializer, **WRITE_ERRORS},
    "examples": [
        example("Add", {"sku": "TRS-43", "options": {"size": "43"}, "price": "89.90", "stock": 4}, request_only=True)
    ],
}
CATALOG_VARIANTS_RETRIEVE = {
    "operation_id": "catalog_variants_retrieve",
    "summary": "A variant",
    "responses": {200: VariantSerializer},
}
CATALOG_VARIANTS_PARTIAL_UPDATE = {
    "operation_id": "catalog_variants_partial_update",
    "summary": "Change a variant (catalog.edit)",
    "request": VariantInputSerializer,
    "responses": {200: VariantSerializer, **WRITE_ERRORS},
    "examples": [example("Restock", {"stock": 40}, request_only=True)],
}
CATALOG_VARIANTS_DESTROY = {
    "operation_id": "catalog_variants_destroy",
    "summary": "Delete a variant",
    "responses": {204: None, **error_responses(EDIT_DENIED)},
}
CATALOG_IMAGES_LIST = {
    "operation_id": "catalog_images_list",
    "summary": "Images of a product",
    "responses": {200: ImageSerializer(many=True)},
}
CATALOG_IMAGES_CREATE = {
    "operation_id": "catalog_images_create",
    "summary": "Upload an image (catalog.edit); thumbnails follow in the background",
    "request": {"multipart/form-data": ImageInputSerializer},
    "responses": {
        201: ImageSerializer,
        **error_responses({**EDIT_DENIED, 413: ([ErrorCode.PAYLOAD_TOO_LARGE], "File too large.")}),
    },
}
CATALOG_IMAGES_DESTROY = {
    "operation_id": "catalog_images_destroy",
    "summary": "Delete an image",
    "responses": {204: None, **error_responses(EDIT_DENIED)},
}
CATALOG_CATEGORIES_LIST = {
    "operation_id": "catalog_categories_list",
    "summary": "Categories in tree order",
    "responses": {200: CategorySerializer(many=True)},
}
CATALOG_CATEGORIES_CREATE = {
    "operation_id": "catalog_categories_create",
    "summary": "Add a category (catalog.edit)",
    "request": CategoryInputSerializer,
    "responses": {201: CategorySerializer, **WRITE_ERRORS},
    "examples": [example("Add", {"name": "Running", "parent": 3}, request_only=True)],
}
CATALOG_CATEGORIES_RETRIEVE = {
    "operation_id": "catalog_categories_retrieve",
    "summary": "A category",
    "responses": {200: CategorySerializer},
}
CATALOG_CATEGORIES_PARTIAL_UPDATE = {
    "operation_id": "catalog_categories_partial_update",
    "summary": "Rename or move a category (catalog.edit); not under itself or its descendants",
    "request": CategoryInputSerializer,
    "responses": {200: CategorySerializer, **WRITE_ERRORS},
}
CATALOG_CATEGORIES_DESTROY = {
    "operation_id": "catalog_categories_destroy",
    "summary": "Delete a category (catalog.edit); its products become uncategorised",
    "responses": {
        204: None,
        **error_responses({**EDIT_DENIED, 409: ([ErrorCode.CONFLICT], "It still has sub-categories.")}),
    },
}
CATALOG_PUBLIC_PRODUCTS_LIST = {
    "operation_id": "catalog_public_products_list",
    "summary": "Published products (public, cached)",
    "description": (
        "Prices are what a shopper pays: a product on an automatic sale reports its sale price in "
        "`price_min`/`price_max`, and `price_min`/`price_max` filters and `ordering=price|-price` use "
        "the sale price too (the staff list uses catalog prices)."
    ),
    "parameters": [p for p in LIST_PARAMETERS if p.name != "status"],
    "responses": {200: PublicProductCardSerializer(many=True)},
}
CATALOG_PUBLIC_PRODUCTS_RETRIEVE = {
    "operation_id": "catalog_public_products_retrieve",
    "summary": "A published product by slug (public, cached)",
    "responses": {200: PublicProductSerializer},
}
CATALOG_PUBLIC_CATEGORIES_LIST = {
    "operation_id": "catalog_public_categories_list",
    "summary": "Categories in tree order (public, cached)",
    "responses": {200: PublicCategorySerializer(many=True)},
}
