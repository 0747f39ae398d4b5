"""The promotions staff API under ``/api/v1/t/<tenant_slug>/promotions/``: vouchers.

``promotions.view`` to read (every role), ``promotions.manage`` to write (owner, admin, editor).
Thin: parse with the input serializer (types), call one service (rules), serialize.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.core.pagination import StrictCursorPagination
from apps.promotions import selectors, services
from apps.promotions.api import schema as api_schema
from apps.promotions.api.serializers import VoucherInputSerializer, VoucherSerializer
from apps.tenants.api.permissions import TenantScopedAPIMixin

READ, MANAGE = "promotions.view", "promotions.manage"


class VoucherCursorPagination(StrictCursorPagination):
    ordering = ("-created_at", "-id")


def _service_data(request) -> dict:
    serializer = VoucherInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class VoucherListView(TenantScopedAPIMixin, GenericAPIView):
    """``vouchers/``: list (cursor) and create."""

    tenant_permissions = {"GET": READ, "POST": MANAGE}
    serializer_class = VoucherSerializer
    pagination_class = VoucherCursorPagination

    @extend_schema(**api_schema.PROMOTIONS_VOUCHERS_LIST)
    def get(self, request, tenant_slug):
        qs = selectors.list_vouchers(tenant=self.tenant).prefetch_related("products", "categories")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(VoucherSerializer(page, many=True).data)

    @extend_schema(**api_schema.PROMOTIONS_VOUCHERS_CREATE)
    def post(self, request, tenant_slug):
        voucher = services.create_voucher(tenant=self.tenant, data=_service_data(request))
        return Response(VoucherSerializer(voucher).data, status=status.HTTP_201_CREATED)


class VoucherDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``vouchers/<id>/``: read, replace, delete."""

    tenant_permissions = {"GET": READ, "PUT": MANAGE, "DELETE": MANAGE}
    serializer_class = VoucherSerializer

    @extend_schema(**api_schema.PROMOTIONS_VOUCHERS_RETRIEVE)
    def get(self, request, tenant_slug, voucher_id):
        return Response(VoucherSerializer(selectors.get_voucher(tenant=self.tenant, voucher_id=voucher_id)).data)

    @extend_schema(**api_schema.PROMOTIONS_VOUCHERS_UPDATE)
    def put(self, request, tenant_slug, voucher_id):
        voucher = selectors.get_voucher(tenant=self.tenant, voucher_id=voucher_id)
        voucher = services.update_voucher(tenant=self.tenant, voucher=voucher, data=_service_data(request))
        return Response(VoucherSerializer(selectors.get_voucher(tenant=self.tenant, voucher_id=voucher.pk)).data)

    @extend_schema(**api_schema.PROMOTIONS_VOUCHERS_DESTROY)
    def delete(self, request, tenant_slug, voucher_id):
        services.delete_voucher(
            tenant=self.tenant, voucher=selectors.get_voucher(tenant=self.tenant, voucher_id=voucher_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
