"""The invoices API under ``/api/v1/t/<tenant_slug>/orders/<number>/invoices/``: the order's
invoices and their PDF (``orders.view``), and "make the invoice" (``orders.manage``, in the
background, 202 with where to poll). The same rules as the console (``console_views.py``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.reverse import reverse

from apps.invoices import selectors, services
from apps.invoices.api import schema
from apps.invoices.api import serializers as s
from apps.invoices.console_views import pdf_response
from apps.tenants.api.permissions import TenantScopedAPIMixin


class OrderInvoicesView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view", "POST": "orders.manage"}
    serializer_class = s.InvoiceSerializer

    @extend_schema(**schema.INVOICES_LIST)
    def get(self, request, tenant_slug, number):
        _, invoices = selectors.list_order_invoices(tenant=self.tenant, number=number)
        return Response(s.InvoiceSerializer(invoices, many=True, context=self.get_serializer_context()).data)

    @extend_schema(**schema.INVOICES_REQUEST)
    def post(self, request, tenant_slug, number):
        order, invoices = selectors.list_order_invoices(tenant=self.tenant, number=number)
        rendered = bool(invoices) and invoices[0].rendered_at is not None
        if not rendered:  # none yet, or numbered but its PDF not made (a task that died): make it
            services.request_invoice(tenant=self.tenant, order_id=order.pk)
        poll = reverse(
            "invoices-api:order-invoices", kwargs={"tenant_slug": tenant_slug, "number": number}, request=request
        )
        invoice = s.InvoiceSerializer(invoices[0], context=self.get_serializer_context()).data if invoices else None
        body = {"status": "issued" if rendered else "queued", "poll_url": poll, "invoice": invoice}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": poll})


class InvoicePdfView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view"}

    def perform_content_negotiation(self, request, force=False):
        # The PDF is an HttpResponse of its own; errors are JSON whatever Accept asks for.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(**schema.INVOICES_PDF)
    def get(self, request, tenant_slug, number, invoice_id):
        invoice, pdf = selectors.access_order_invoice_pdf(tenant=self.tenant, number=number, invoice_id=invoice_id)
        return pdf_response(invoice, pdf)
