"""The staff after-sales API under ``/api/v1/t/<tenant_slug>/orders/<number>/``: ``fulfil/``
(``orders.fulfil``), ``cancel/`` and ``return/`` (``orders.manage``), ``refund/``
(``orders.refund``), ``notes/`` (read ``orders.view``, write ``orders.fulfil``). Thin: parse, call
one service, serialize; the services validate and answer in the error shape."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.core.errors import Invalid
from apps.orders import selectors, services
from apps.orders.api import aftersales_serializers as a
from apps.orders.api import schema
from apps.orders.api import serializers as s
from apps.orders.models import OrderNote
from apps.tenants.api.permissions import TenantScopedAPIMixin


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise Invalid({"non_field_errors": ["Send a JSON object."]})
    return request.data


def _text(data: dict, name: str, max_length: int = 500) -> str:
    """A text field (absent = ""); :class:`Invalid` for another JSON type or over ``max_length``."""
    value = data.get(name, "")
    if not isinstance(value, str):
        raise Invalid({name: ["Send text."]})
    if len(value) > max_length:
        raise Invalid({name: [f"At most {max_length} characters."]})
    return value


def _lines(data: dict, *, required: bool = False):
    """The ``lines`` list as sent (the service checks each item); absent = None unless required."""
    value = data.get("lines")
    if value is None and not required and "lines" not in data:
        return None
    if not isinstance(value, list):
        raise Invalid({"lines": ['Send a list of {"line_id": ..., "quantity": ...}.']})
    return value


def _flag(data: dict, name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise Invalid({name: ["Send true or false."]})
    return value


class OrderActionView(TenantScopedAPIMixin, GenericAPIView):
    def order(self, number: int):
        return selectors.access_order(tenant=self.tenant, number=number)


class FulfilView(OrderActionView):
    tenant_permissions = {"POST": "orders.fulfil"}
    serializer_class = s.FulfilmentSerializer

    @extend_schema(**schema.ORDERS_FULFIL)
    def post(self, request, tenant_slug, number):
        order, data = self.order(number), _body(request)
        shipment = services.fulfil_order_lines(
            tenant=self.tenant,
            order_id=order.pk,
            lines=_lines(data),
            carrier=_text(data, "carrier"),
            tracking_number=_text(data, "tracking_number"),
            tracking_url=_text(data, "tracking_url"),
            actor=request.user,
        )
        return Response(s.FulfilmentSerializer(shipment).data, status=status.HTTP_201_CREATED)


class CancelView(OrderActionView):
    tenant_permissions = {"POST": "orders.manage"}
    serializer_class = s.StaffOrderSerializer

    @extend_schema(**schema.ORDERS_CANCEL)
    def post(self, request, tenant_slug, number):
        order, data = self.order(number), _body(request)
        order = services.cancel_order(
            tenant=self.tenant, order_id=order.pk, actor=request.user, reason=_text(data, "reason")
        )
        return Response(s.StaffOrderSerializer(order).data)


class RefundView(OrderActionView):
    tenant_permissions = {"POST": "orders.refund"}
    serializer_class = a.RefundSerializer

    @extend_schema(**schema.ORDERS_REFUND)
    def post(self, request, tenant_slug, number):
        order, data = self.order(number), _body(request)
        key = request.headers.get("Idempotency-Key", "")
        if key and (len(key) > 100 or not all("!" <= ch <= "~" for ch in key)):
            raise Invalid({"Idempotency-Key": ["1-100 printable characters."]})
        outcome = services.refund_order(
            tenant=self.tenant,
            order_id=order.pk,
            amount=_text(data, "amount") or None,
            lines=_lines(data),
            shipping=_flag(data, "shipping"),
            reason=_text(data, "reason"),
            actor=request.user,
            idempotency_key=key,
        )
        body = a.RefundSerializer(outcome).data
        return Response(body, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class ReturnView(OrderActionView):
    tenant_permissions = {"POST": "orders.manage"}
    serializer_class = a.ReturnSerializer

    @extend_schema(**schema.ORDERS_RETURN)
    def post(self, request, tenant_slug, number):
        order, data = self.order(number), _body(request)
        record = services.record_return(
            tenant=self.tenant,
            order_id=order.pk,
            lines=_lines(data, required=True),
            restock=_flag(data, "restock"),
            reason=_text(data, "reason"),
            actor=request.user,
        )
        return Response(a.ReturnSerializer(record).data, status=status.HTTP_201_CREATED)


class NotesView(OrderActionView):
    tenant_permissions = {"GET": "orders.view", "POST": "orders.fulfil"}
    serializer_class = a.NoteSerializer

    @extend_schema(**schema.ORDERS_NOTES_LIST)
    def get(self, request, tenant_slug, number):
        order = self.order(number)
        notes = OrderNote.objects.for_tenant(self.tenant).filter(order_id=order.pk).select_related("author")
        return Response(a.NoteSerializer(notes.order_by("created_at", "id"), many=True).data)

    @extend_schema(**schema.ORDERS_NOTES_CREATE)
    def post(self, request, tenant_slug, number):
        order, data = self.order(number), _body(request)
        note = services.add_order_note(
            tenant=self.tenant, order_id=order.pk, body=_text(data, "body", max_length=5000), actor=request.user
        )
        return Response(a.NoteSerializer(note).data, status=status.HTTP_201_CREATED)
