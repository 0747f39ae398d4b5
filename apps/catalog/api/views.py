"""The catalog API under ``/api/v1/t/<tenant_slug>/catalog/``.

Member endpoints mix in ``TenantScopedAPIMixin`` (catalog.view to read, catalog.edit to write);
``public/...`` endpoints are read-only, need no token, show published products only and are
served from the per-tenant cache. Views are thin: parse, call a service or selector, serialize.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.catalog import cache as catalog_cache
from apps.catalog import selectors, services
from apps.catalog.api.cache_keys import keep_known_params, public_list_key
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
from apps.catalog.filters import parse_product_filters
from apps.catalog.images import add_product_image, delete_product_image, max_image_bytes
from apps.catalog.models import Category, Product, ProductImage, Variant
from apps.core.errors import ApplicationError
from apps.core.parsers import refuse_declared_body_over
from apps.tenants.access import get_public_tenant
from apps.tenants.api.permissions import TenantScopedAPIMixin

READ, EDIT = "catalog.view", "catalog.edit"
CURSOR_ORDERINGS = {
    "relevance": ("-rank", "-id"),
    "newest": ("-id",),
    "price": ("price_min", "id"),
    "-price": ("-price_min", "-id"),
    "name": ("name", "id"),
}
ERROR_EXAMPLE = {
    "error": {
        "code": "validation_error",
        "message": "variants[0]: {'price': ['Must be zero or more.']}",
        "details": {"variants[0]": {"price": ["Must be zero or more."]}},
        "request_id": "0f6c2b1e9a8d4c7b",
    }
}
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
errors = {
    400: OpenApiResponse(
        description="Invalid input (error shape)", examples=[OpenApiExample("Invalid", ERROR_EXAMPLE)]
    ),
    401: OpenApiResponse(description="Not authenticated (error shape)"),
    403: OpenApiResponse(description="Your role lacks the permission (error shape)"),
    404: OpenApiResponse(description="No such tenant or object, or you are not a member (error shape)"),
}
LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Search (prefix and typo tolerant)"),
    OpenApiParameter("category", str, description="Category slug; includes its descendants"),
    OpenApiParameter("price_min", OpenApiTypes.DECIMAL),
    OpenApiParameter("price_max", OpenApiTypes.DECIMAL),
    OpenApiParameter("in_stock", bool),
    OpenApiParameter("status", str, enum=["draft", "published", "archived"], description="Members only"),
    OpenApiParameter("ordering", str, enum=sorted(CURSOR_ORDERINGS)),
    OpenApiParameter("limit", int, description="1..100, default 25"),
    OpenApiParameter("cursor", str),
]


def _product_queryset(tenant, request, *, public: bool, view) -> object:
    filters = parse_product_filters(request.query_params, strict=True)
    qs = selectors.filter_products(tenant=tenant, filters=filters, public=public)
    view.cursor_ordering = CURSOR_ORDERINGS[filters.effective_sort]
    return qs


class ProductListView(TenantScopedAPIMixin, GenericAPIView):
    """``products/``: list (cursor, filters, ``q``, ordering) and create."""

    tenant_permissions = {"GET": READ, "POST": EDIT}
    serializer_class = ProductSerializer
    pagination_class = CatalogCursorPagination

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tenant": self.tenant}

    @extend_schema(
        operation_id="catalog_products_list",
        summary="Products of the shop (all statuses for members)",
        parameters=LIST_PARAMETERS,
        responses={200: ProductSerializer(many=True), **errors},
        examples=[
            OpenApiExample("Page", {"next": None, "previous": None, "results": [PRODUCT_EXAMPLE]}, response_only=True)
        ],
    )
    def get(self, request, tenant_slug):
        qs = _product_queryset(self.tenant, request, public=False, view=self).prefetch_related("variants", "images")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="catalog_products_create",
        summary="Create a product with its variants (catalog.edit)",
        request=ProductInputSerializer,
        responses={201: ProductSerializer, **errors},
        examples=[
            OpenApiExample("Create", CREATE_EXAMPLE, request_only=True),
            OpenApiExample("Created", PRODUCT_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request, tenant_slug):
        serializer = ProductInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        variants = [dict(v) for v in data.pop("variants", [])]
        product = services.create_product(tenant=self.tenant, data=data, variants=variants)
        product = selectors.get_product(tenant=self.tenant, product_id=product.pk)
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/``: read, replace, change or delete a product."""

    tenant_permissions = {"GET": READ, "PUT": EDIT, "PATCH": EDIT, "DELETE": EDIT}
    serializer_class = ProductSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tenant": self.tenant}

    def get_object(self) -> Product:
        return _get_owned_product(self)

    @extend_schema(
        operation_id="catalog_products_retrieve", summary="A product", responses={200: ProductSerializer, **errors}
    )
    def get(self, request, tenant_slug, pk):
        return Response(self.get_serializer(self.get_object()).data)

    def _update(self, request, *, partial: bool):
        product = self.get_object()
        serializer = ProductInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("variants", None):
            raise ApplicationError(
                "Change variants through products/<id>/variants/.",
                code="validation_error",
                details={"variants": ["Not accepted here."]},
            )
        if not partial:
            for field in ("name", "description", "status", "category", "attributes", "seo_title", "seo_description"):
                data.setdefault(field, "" if field not in ("category", "attributes", "status") else None)
            data["status"] = data["status"] or "draft"
            data["attributes"] = data["attributes"] or {}
        services.update_product(tenant=self.tenant, product=product, data=data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        operation_id="catalog_products_update",
        summary="Replace a product's fields (catalog.edit)",
        request=ProductInputSerializer,
        responses={200: ProductSerializer, **errors},
    )
    def put(self, request, tenant_slug, pk):
        return self._update(request, partial=False)

    @extend_schema(
        operation_id="catalog_products_partial_update",
        summary="Change some of a product's fields (catalog.edit)",
        request=ProductInputSerializer,
        responses={200: ProductSerializer, **errors},
        examples=[OpenApiExample("Publish", {"status": "published"}, request_only=True)],
    )
    def patch(self, request, tenant_slug, pk):
        return self._update(request, partial=True)

    @extend_schema(operation_id="catalog_products_destroy", summary="Delete a product", responses={204: None, **errors})
    def delete(self, request, tenant_slug, pk):
        services.delete_product(tenant=self.tenant, product=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductBulkView(TenantScopedAPIMixin, GenericAPIView):
    """``products/bulk``: upsert up to 500 products by slug (variants by SKU), a result per item."""

    tenant_permissions = {"POST": EDIT}
    serializer_class = BulkInputSerializer

    @extend_schema(
        operation_id="catalog_products_bulk",
        summary="Upsert up to 500 products (catalog.edit)",
        request=BulkInputSerializer,
        responses={200: BulkOutputSerializer, **errors},
        examples=[
            OpenApiExample("Bulk", {"items": [CREATE_EXAMPLE]}, request_only=True),
            OpenApiExample(
                "Results",
                {
                    "results": [
                        {"index": 0, "status": "created", "id": 101, "error": None},
                        {
                            "index": 1,
                            "status": "error",
                            "id": None,
                            "error": {
                                "code": "validation_error",
                                "message": "price: Must be zero or more.",
                                "details": {},
                            },
                        },
                    ]
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request, tenant_slug):
        serializer = BulkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = []
        for index, item in enumerate(serializer.validated_data["items"]):
            data = dict(item)
            variants = [dict(v) for v in data.pop("variants", [])]
            try:
                with transaction.atomic():
                    product, created = services.upsert_product(tenant=self.tenant, data=data, variants=variants)
                results.append(
                    {"index": index, "status": "created" if created else "updated", "id": product.pk, "error": None}
                )
            except ApplicationError as exc:
                error = {"code": exc.code, "message": exc.message, "details": exc.details}
                results.append({"index": index, "status": "error", "id": None, "error": error})
        return Response({"results": results})


def _get_owned_product(view) -> Product:
    try:
        return selectors.get_product(tenant=view.tenant, product_id=view.kwargs["pk"])
    except Product.DoesNotExist:
        raise ApplicationError("Not found.", code="not_found", status=404) from None


class VariantListView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/variants/``: a product's variants; add one."""

    tenant_permissions = {"GET": READ, "POST": EDIT}
    serializer_class = VariantSerializer

    @extend_schema(
        operation_id="catalog_variants_list",
        summary="Variants of a product",
        responses={200: VariantSerializer(many=True), **errors},
    )
    def get(self, request, tenant_slug, pk):
        product = _get_owned_product(self)
        return Response(VariantSerializer(selectors.list_variants(tenant=self.tenant, product=product), many=True).data)

    @extend_schema(
        operation_id="catalog_variants_create",
        summary="Add a variant (catalog.edit)",
        request=VariantInputSerializer,
        responses={201: VariantSerializer, **errors},
        examples=[
            OpenApiExample(
                "Add", {"sku": "TRS-43", "options": {"size": "43"}, "price": "89.90", "stock": 4}, request_only=True
            )
        ],
    )
    def post(self, request, tenant_slug, pk):
        product = _get_owned_product(self)
        serializer = VariantInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variant = services.create_variant(tenant=self.tenant, product=product, data=dict(serializer.validated_data))
        return Response(VariantSerializer(variant).data, status=status.HTTP_201_CREATED)


class VariantDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/variants/<variant_id>/``: read, change, delete a variant."""

    tenant_permissions = {"GET": READ, "PATCH": EDIT, "DELETE": EDIT}
    serializer_class = VariantSerializer

    def get_object(self) -> Variant:
        product = _get_owned_product(self)
        variant = (
            selectors.list_variants(tenant=self.tenant, product=product).filter(pk=self.kwargs["variant_id"]).first()
        )
        if variant is None:
            raise ApplicationError("Not found.", code="not_found", status=404)
        return variant

    @extend_schema(
        operation_id="catalog_variants_retrieve", summary="A variant", responses={200: VariantSerializer, **errors}
    )
    def get(self, request, tenant_slug, pk, variant_id):
        return Response(VariantSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="catalog_variants_partial_update",
        summary="Change a variant (catalog.edit)",
        request=VariantInputSerializer,
        responses={200: VariantSerializer, **errors},
        examples=[OpenApiExample("Restock", {"stock": 40}, request_only=True)],
    )
    def patch(self, request, tenant_slug, pk, variant_id):
        variant = self.get_object()
        serializer = VariantInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        variant = services.update_variant(tenant=self.tenant, variant=variant, data=dict(serializer.validated_data))
        return Response(VariantSerializer(variant).data)

    @extend_schema(operation_id="catalog_variants_destroy", summary="Delete a variant", responses={204: None, **errors})
    def delete(self, request, tenant_slug, pk, variant_id):
        services.delete_variant(tenant=self.tenant, variant=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


FORM_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and the alt field around the image


class ImageListView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/images/``: a product's images; upload one (multipart)."""

    tenant_permissions = {"GET": READ, "POST": EDIT}
    serializer_class = ImageSerializer
    parser_classes = [MultiPartParser]

    def initial(self, request, *args, **kwargs):
        # Like the console: refuse an oversized upload by its Content-Length, before any of it is read.
        refuse_declared_body_over(request, max_image_bytes() + FORM_OVERHEAD_BYTES)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="catalog_images_list",
        summary="Images of a product",
        responses={200: ImageSerializer(many=True), **errors},
    )
    def get(self, request, tenant_slug, pk):
        product = _get_owned_product(self)
        return Response(ImageSerializer(product.images.all(), many=True, context={"tenant": self.tenant}).data)

    @extend_schema(
        operation_id="catalog_images_create",
        summary="Upload an image (catalog.edit); thumbnails follow in the background",
        request={"multipart/form-data": ImageInputSerializer},
        responses={201: ImageSerializer, 413: OpenApiResponse(description="File too large (error shape)"), **errors},
    )
    def post(self, request, tenant_slug, pk):
        product = _get_owned_product(self)
        serializer = ImageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = add_product_image(
            tenant=self.tenant,
            product=product,
            upload=serializer.validated_data["image"],
            alt=serializer.validated_data.get("alt", ""),
        )
        image = ProductImage.objects.for_tenant(self.tenant).get(pk=image.pk)
        return Response(ImageSerializer(image, context={"tenant": self.tenant}).data, status=status.HTTP_201_CREATED)


class ImageDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/images/<image_id>/``: delete an image."""

    tenant_permissions = {"DELETE": EDIT}
    serializer_class = ImageSerializer

    @extend_schema(operation_id="catalog_images_destroy", summary="Delete an image", responses={204: None, **errors})
    def delete(self, request, tenant_slug, pk, image_id):
        product = _get_owned_product(self)
        image = ProductImage.objects.for_tenant(self.tenant).filter(product=product, pk=image_id).first()
        if image is None:
            raise ApplicationError("Not found.", code="not_found", status=404)
        delete_product_image(tenant=self.tenant, image=image)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryListView(TenantScopedAPIMixin, GenericAPIView):
    """``categories/``: the category tree (path order); add a category."""

    tenant_permissions = {"GET": READ, "POST": EDIT}
    serializer_class = CategorySerializer

    @extend_schema(
        operation_id="catalog_categories_list",
        summary="Categories in tree order",
        responses={200: CategorySerializer(many=True), **errors},
    )
    def get(self, request, tenant_slug):
        return Response(CategorySerializer(selectors.list_categories(tenant=self.tenant), many=True).data)

    @extend_schema(
        operation_id="catalog_categories_create",
        summary="Add a category (catalog.edit)",
        request=CategoryInputSerializer,
        responses={201: CategorySerializer, **errors},
        examples=[OpenApiExample("Add", {"name": "Running", "parent": 3}, request_only=True)],
    )
    def post(self, request, tenant_slug):
        serializer = CategoryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        category = services.create_category(
            tenant=self.tenant,
            name=data.get("name", ""),
            slug=data.get("slug", ""),
            parent=data.get("parent"),
            description=data.get("description", ""),
        )
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)


class CategoryDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``categories/<id>/``: read, change (rename, move) or delete a category."""

    tenant_permissions = {"GET": READ, "PATCH": EDIT, "DELETE": EDIT}
    serializer_class = CategorySerializer

    def get_object(self) -> Category:
        try:
            return selectors.get_category(tenant=self.tenant, category_id=self.kwargs["pk"])
        except Category.DoesNotExist:
            raise ApplicationError("Not found.", code="not_found", status=404) from None

    @extend_schema(
        operation_id="catalog_categories_retrieve", summary="A category", responses={200: CategorySerializer, **errors}
    )
    def get(self, request, tenant_slug, pk):
        return Response(CategorySerializer(self.get_object()).data)

    @extend_schema(
        operation_id="catalog_categories_partial_update",
        summary="Rename or move a category (catalog.edit)",
        request=CategoryInputSerializer,
        responses={200: CategorySerializer, **errors},
    )
    def patch(self, request, tenant_slug, pk):
        serializer = CategoryInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        category = services.update_category(
            tenant=self.tenant, category=self.get_object(), data=dict(serializer.validated_data)
        )
        return Response(CategorySerializer(category).data)

    @extend_schema(
        operation_id="catalog_categories_destroy", summary="Delete a category", responses={204: None, **errors}
    )
    def delete(self, request, tenant_slug, pk):
        services.delete_category(tenant=self.tenant, category=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- public, read-only, cached ------------------------------------------------------------------


class PublicProductListView(GenericAPIView):
    """``public/products/``: published products, no token needed (cursor, filters, ``q``)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicProductCardSerializer
    pagination_class = CatalogCursorPagination

    @extend_schema(
        operation_id="catalog_public_products_list",
        summary="Published products (public, cached)",
        parameters=[p for p in LIST_PARAMETERS if p.name != "status"],
        responses={200: PublicProductCardSerializer(many=True), 400: errors[400], 404: errors[404]},
    )
    def get(self, request, tenant_slug):
        tenant = get_public_tenant(slug=tenant_slug)

        def produce():
            qs = _product_queryset(tenant, request, public=True, view=self).only(*selectors.LIST_FIELDS)
            page = self.paginate_queryset(qs)
            cards = PublicProductCardSerializer(selectors.product_cards(tenant, list(page)), many=True).data
            return self.get_paginated_response(cards).data

        keep_known_params(request)  # unknown parameters never reach the cache key (apps/catalog/api/cache_keys.py)
        key = public_list_key(request, page_size=self.paginator.get_page_size(request))
        data = catalog_cache.cached(tenant.pk, "api-list", key, catalog_cache.TTL_LISTING, produce)
        return Response(data)


class PublicProductDetailView(GenericAPIView):
    """``public/products/<slug>/``: one published product, no token needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicProductSerializer

    @extend_schema(
        operation_id="catalog_public_products_retrieve",
        summary="A published product by slug (public, cached)",
        responses={200: PublicProductSerializer, 404: errors[404]},
    )
    def get(self, request, tenant_slug, slug):
        tenant = get_public_tenant(slug=tenant_slug)
        item = selectors.get_public_product(tenant=tenant, slug=slug)
        if item is None:
            raise ApplicationError("Not found.", code="not_found", status=404)
        return Response(PublicProductSerializer(item).data)


class PublicCategoryListView(GenericAPIView):
    """``public/categories/``: the category tree, no token needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicCategorySerializer

    @extend_schema(
        operation_id="catalog_public_categories_list",
        summary="Categories in tree order (public, cached)",
        responses={200: PublicCategorySerializer(many=True), 404: errors[404]},
    )
    def get(self, request, tenant_slug):
        tenant = get_public_tenant(slug=tenant_slug)
        return Response(PublicCategorySerializer(selectors.get_category_tree(tenant=tenant), many=True).data)
