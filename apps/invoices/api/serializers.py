"""Output shapes of the invoices API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse


class InvoiceSerializer(serializers.Serializer):
    """An order's invoice; ``pdf_url`` is null while the PDF is being made."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="<year>-<sequence>, e.g. 2026-00042")
    year = serializers.IntegerField()
    issued_at = serializers.DateTimeField()
    rendered_at = serializers.DateTimeField(allow_null=True, help_text="When the PDF was made; null until then")
    pdf_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf_url(self, invoice) -> str | None:
        if invoice.rendered_at is None:
            return None
        request, view = self.context["request"], self.context["view"]
        kwargs = {"tenant_slug": view.kwargs["tenant_slug"], "number": view.kwargs["number"], "invoice_id": invoice.pk}
        return reverse("invoices-api:invoice-pdf", kwargs=kwargs, request=request)


class InvoiceRequestSerializer(serializers.Serializer):
    """The answer to "make the invoice": where to poll for it."""

    status = serializers.ChoiceField(
        choices=["queued", "issued"],
        help_text="queued: being made (or its PDF remade) in the background; issued: the order has it, PDF and all",
    )
    poll_url = serializers.URLField(help_text="The order's invoices (also in the Location header)")
    invoice = InvoiceSerializer(allow_null=True, help_text="The invoice when the order has one already (numbered)")


PDF = OpenApiTypes.BINARY
