"""The catalog API under ``/api/v1/t/<tenant_slug>/catalog/``.

Member endpoints mix in ``TenantScopedAPIMixin`` (catalog.view to read, catalog.edit to write);
``public/...`` endpoints are read-only, need no token, show published products only and are
served from the per-tenant cache. Views are thin: parse, call a service or selector, serialize.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apps.catalog import cache as catalog_cache
from apps.catalog import selectors, services
from apps.catalog.api import schema as api_schema
from apps.catalog.api.cache_keys import keep_known_params, public_list_key
from apps.catalog.api.pagination import CatalogCursorPagination
from apps.catalog.api.serializers import (
    BulkInputSerializer,
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
from apps.catalog.models import Category, Product, Variant
from apps.catalog.validation import ordering_for
from apps.core.errors import Invalid, NotFound
from apps.core.parsers import refuse_declared_body_over
from apps.tenants.access import get_public_tenant
from apps.tenants.api.permissions import TenantScopedAPIMixin

READ, EDIT = "catalog.view", "catalog.edit"


def _product_queryset(tenant, request, *, public: bool, paginator: CatalogCursorPagination):
    """The filtered products of a list request; the paginator is told the filters' ordering."""
    filters = parse_product_filters(request.query_params, strict=True)
    paginator.ordering = ordering_for(filters.effective_sort, public=public)  # public: by sale price
    return selectors.filter_products(tenant=tenant, filters=filters, public=public)


class ProductListView(TenantScopedAPIMixin, GenericAPIView):
    """``products/``: list (cursor, filters, ``q``, ordering) and create."""

    tenant_permissions = {"GET": READ, "POST": EDIT}
    serializer_class = ProductSerializer
    pagination_class = CatalogCursorPagination

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tenant": self.tenant}

    @extend_schema(**api_schema.CATALOG_PRODUCTS_LIST)
    def get(self, request, tenant_slug):
        qs = _product_queryset(self.tenant, request, public=False, paginator=self.paginator)
        qs = qs.prefetch_related("variants", "images")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(**api_schema.CATALOG_PRODUCTS_CREATE)
    def post(self, request, tenant_slug):
        serializer = ProductInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        variants = [dict(v) for v in data.pop("variants", [])]
        product = services.create_product(tenant=self.tenant, data=data, variants=variants)
        product = selectors.access_product(tenant=self.tenant, product_id=product.pk)
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/``: read, replace, change or delete a product."""

    tenant_permissions = {"GET": READ, "PUT": EDIT, "PATCH": EDIT, "DELETE": EDIT}
    serializer_class = ProductSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tenant": self.tenant}

    def get_object(self) -> Product:
        return selectors.access_product(tenant=self.tenant, product_id=self.kwargs["pk"])

    @extend_schema(**api_schema.CATALOG_PRODUCTS_RETRIEVE)
    def get(self, request, tenant_slug, pk):
        return Response(self.get_serializer(self.get_object()).data)

    def _update(self, request, *, partial: bool):
        product = self.get_object()
        serializer = ProductInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("variants", None):
            message = "Change variants through products/<id>/variants/."
            raise Invalid({"variants": ["Not accepted here."]}, message=message)
        write = services.update_product if partial else services.replace_product
        write(tenant=self.tenant, product=product, data=data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(**api_schema.CATALOG_PRODUCTS_UPDATE)
    def put(self, request, tenant_slug, pk):
        return self._update(request, partial=False)

    @extend_schema(**api_schema.CATALOG_PRODUCTS_PARTIAL_UPDATE)
    def patch(self, request, tenant_slug, pk):
        return self._update(request, partial=True)

    @extend_schema(**api_schema.CATALOG_PRODUCTS_DESTROY)
    def delete(self, request, tenant_slug, pk):
        services.delete_product(tenant=self.tenant, product=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductBulkView(TenantScopedAPIMixin, GenericAPIView):
    """``products/bulk``: upsert up to 500 products by slug (variants by SKU), a result per item."""

    tenant_permissions = {"POST": EDIT}
    serializer_class = BulkInputSerializer

    @extend_schema(**api_schema.CATALOG_PRODUCTS_BULK)
    def post(self, request, tenant_slug):
        serializer = BulkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = services.upsert_products(tenant=self.tenant, items=serializer.validated_data["items"])
        return Response({"results": results})


def _get_owned_product(view) -> Product:
    return selectors.access_product(tenant=view.tenant, product_id=view.kwargs["pk"])


class VariantListView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/variants/``: a product's variants; add one."""

    tenant_permissions = {"GET": READ, "POST": EDIT}
    serializer_class = VariantSerializer

    @extend_schema(**api_schema.CATALOG_VARIANTS_LIST)
    def get(self, request, tenant_slug, pk):
        product = _get_owned_product(self)
        return Response(VariantSerializer(selectors.list_variants(tenant=self.tenant, product=product), many=True).data)

    @extend_schema(**api_schema.CATALOG_VARIANTS_CREATE)
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
        return selectors.access_variant(tenant=self.tenant, product=product, variant_id=self.kwargs["variant_id"])

    @extend_schema(**api_schema.CATALOG_VARIANTS_RETRIEVE)
    def get(self, request, tenant_slug, pk, variant_id):
        return Response(VariantSerializer(self.get_object()).data)

    @extend_schema(**api_schema.CATALOG_VARIANTS_PARTIAL_UPDATE)
    def patch(self, request, tenant_slug, pk, variant_id):
        variant = self.get_object()
        serializer = VariantInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        variant = services.update_variant(tenant=self.tenant, variant=variant, data=dict(serializer.validated_data))
        return Response(VariantSerializer(variant).data)

    @extend_schema(**api_schema.CATALOG_VARIANTS_DESTROY)
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

    @extend_schema(**api_schema.CATALOG_IMAGES_LIST)
    def get(self, request, tenant_slug, pk):
        product = _get_owned_product(self)
        return Response(ImageSerializer(product.images.all(), many=True, context={"tenant": self.tenant}).data)

    @extend_schema(**api_schema.CATALOG_IMAGES_CREATE)
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
        image = selectors.access_image(tenant=self.tenant, product=product, image_id=image.pk)
        return Response(ImageSerializer(image, context={"tenant": self.tenant}).data, status=status.HTTP_201_CREATED)


class ImageDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``products/<id>/images/<image_id>/``: delete an image."""

    tenant_permissions = {"DELETE": EDIT}
    serializer_class = ImageSerializer

    @extend_schema(**api_schema.CATALOG_IMAGES_DESTROY)
    def delete(self, request, tenant_slug, pk, image_id):
        image = selectors.access_image(tenant=self.tenant, product=_get_owned_product(self), image_id=image_id)
        delete_product_image(tenant=self.tenant, image=image)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryListView(TenantScopedAPIMixin, GenericAPIView):
    """``categories/``: the category tree (path order); add a category."""

    tenant_permissions = {"GET": READ, "POST": EDIT}
    serializer_class = CategorySerializer

    @extend_schema(**api_schema.CATALOG_CATEGORIES_LIST)
    def get(self, request, tenant_slug):
        return Response(CategorySerializer(selectors.list_categories(tenant=self.tenant), many=True).data)

    @extend_schema(**api_schema.CATALOG_CATEGORIES_CREATE)
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
        return selectors.access_category(tenant=self.tenant, category_id=self.kwargs["pk"])

    @extend_schema(**api_schema.CATALOG_CATEGORIES_RETRIEVE)
    def get(self, request, tenant_slug, pk):
        return Response(CategorySerializer(self.get_object()).data)

    @extend_schema(**api_schema.CATALOG_CATEGORIES_PARTIAL_UPDATE)
    def patch(self, request, tenant_slug, pk):
        serializer = CategoryInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        category = services.update_category(
            tenant=self.tenant, category=self.get_object(), data=dict(serializer.validated_data)
        )
        return Response(CategorySerializer(category).data)

    @extend_schema(**api_schema.CATALOG_CATEGORIES_DESTROY)
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

    @extend_schema(**api_schema.CATALOG_PUBLIC_PRODUCTS_LIST)
    def get(self, request, tenant_slug):
        tenant = get_public_tenant(slug=tenant_slug)

        def produce() -> bytes:
            qs = _product_queryset(tenant, request, public=True, paginator=self.paginator).only(*selectors.LIST_FIELDS)
            page = self.paginate_queryset(qs)
            cards = PublicProductCardSerializer(selectors.product_cards(tenant, list(page)), many=True).data
            return JSONRenderer().render(self.get_paginated_response(cards).data)

        keep_known_params(request)  # unknown parameters never reach the cache key (apps/catalog/api/cache_keys.py)
        key = public_list_key(request, page_size=self.paginator.get_page_size(request))
        # The rendered JSON is what is cached: a hit is one cache read and no serializing.
        body = catalog_cache.cached(tenant.pk, "api-list-json", key, catalog_cache.TTL_LISTING, produce)
        return HttpResponse(body, content_type="application/json")


class PublicProductDetailView(GenericAPIView):
    """``public/products/<slug>/``: one published product, no token needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicProductSerializer

    @extend_schema(**api_schema.CATALOG_PUBLIC_PRODUCTS_RETRIEVE)
    def get(self, request, tenant_slug, slug):
        tenant = get_public_tenant(slug=tenant_slug)
        item = selectors.get_public_product(tenant=tenant, slug=slug)
        if item is None:
            raise NotFound()
        return Response(PublicProductSerializer(item).data)


class PublicCategoryListView(GenericAPIView):
    """``public/categories/``: the category tree, no token needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicCategorySerializer

    @extend_schema(**api_schema.CATALOG_PUBLIC_CATEGORIES_LIST)
    def get(self, request, tenant_slug):
        tenant = get_public_tenant(slug=tenant_slug)
        return Response(PublicCategorySerializer(selectors.get_category_tree(tenant=tenant), many=True).data)
