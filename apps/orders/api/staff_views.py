"""The staff order exports and customers API under ``/api/v1/t/<tenant_slug>/``:

- ``orders/exports/`` (POST): a CSV export of the filtered order list or of its lines, made in the
  background (202 and the job to poll); ``orders/exports/<id>/``: the job (status, progress);
  ``orders/exports/<id>/download/``: the CSV once done. ``orders.view``, as in the console.
- ``customers/``: one row per email (orders, spent, last order), keyset-paged, ``q`` = the start of
  the email; ``customers/<email>/``: the figures and the newest orders. ``orders.view``.

Thin: parse, call one service or selector, serialize (``exports.py``, ``customers.py``).
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.core.errors import Invalid, NotFound
from apps.core.pagination import StrictCursorPagination
from apps.orders import customers, exports
from apps.orders.api import staff_schema as schema
from apps.orders.api import staff_serializers as s
from apps.orders.models import OrderExportStatus
from apps.tenants.api.permissions import TenantScopedAPIMixin

RECENT_ORDERS = 100
FILTER_NAMES = {
    "q": "q",
    "status": "status",
    "payment_status": "payment_status",
    "from": "created_from",
    "to": "created_to",
}


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise Invalid({"non_field_errors": ["Send a JSON object."]})
    return request.data


def export_job_data(request, tenant_slug: str, job) -> dict:
    """The API's view of an export job (``ExportJobSerializer``)."""
    kwargs = {"tenant_slug": tenant_slug, "job_id": job.pk}
    ready = job.status == OrderExportStatus.DONE and bool(job.result)
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "filters": {FILTER_NAMES[key]: value for key, value in (job.params or {}).items() if key in FILTER_NAMES},
        "progress": exports.get_export_progress(job),
        "total_rows": job.total_rows,
        "message": job.message,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "download_url": reverse("orders-api:export-download", kwargs=kwargs, request=request) if ready else None,
    }


class ExportCreateView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"POST": "orders.view"}
    serializer_class = s.ExportInputSerializer

    @extend_schema(**schema.EXPORTS_CREATE)
    def post(self, request, tenant_slug):
        data = s.ExportInputSerializer(data=_body(request))
        data.is_valid(raise_exception=True)
        values = data.validated_data
        params = {key: values.get(name, "") for key, name in FILTER_NAMES.items()}
        job = exports.start_order_export(tenant=self.tenant, user=request.user, kind=values["kind"], params=params)
        body = export_job_data(request, tenant_slug, job)
        location = reverse(
            "orders-api:export-detail", kwargs={"tenant_slug": tenant_slug, "job_id": job.pk}, request=request
        )
        return Response(
            s.ExportJobSerializer(body).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )


class ExportDetailView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view"}
    serializer_class = s.ExportJobSerializer

    @extend_schema(**schema.EXPORTS_RETRIEVE)
    def get(self, request, tenant_slug, job_id):
        job = exports.get_export_job(tenant=self.tenant, job_id=job_id)
        return Response(s.ExportJobSerializer(export_job_data(request, tenant_slug, job)).data)


class ExportDownloadView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view"}

    def perform_content_negotiation(self, request, force=False):
        # The CSV is a FileResponse of its own; errors are JSON whatever Accept asks for.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(**schema.EXPORTS_DOWNLOAD)
    def get(self, request, tenant_slug, job_id):
        job = exports.get_export_job(tenant=self.tenant, job_id=job_id)
        if job.status != OrderExportStatus.DONE or not job.result:
            raise NotFound("The export is not ready (or was deleted a day after it was made).")
        name = f"{self.tenant.slug}-{job.kind}-{job.pk}.csv"
        response = FileResponse(job.result.open("rb"), as_attachment=True, filename=name, content_type="text/csv")
        response["Cache-Control"] = "private, no-store"
        return response


def _customer_data(row: dict) -> dict:
    return {key: row[key] for key in s.CustomerSerializer().fields}


class CustomerListView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view"}
    serializer_class = s.CustomerSerializer

    @extend_schema(**schema.CUSTOMERS_LIST)
    def get(self, request, tenant_slug):
        limit = StrictCursorPagination().get_page_size(request)
        q = request.query_params.get("q", "")
        if len(q) > s.Q_MAX_LENGTH:
            raise Invalid({"q": [f"At most {s.Q_MAX_LENGTH} characters."]})
        cursor = request.query_params.get("cursor", "")
        try:
            after = customers.decode_customer_cursor(cursor) if cursor else None
        except Invalid:
            raise NotFound("Invalid cursor.") from None  # what every cursor-paged list answers (DRF)
        # No stored email holds a null character (PostgreSQL text cannot): nothing matches.
        rows = (
            [] if "\x00" in q else customers.list_customer_page(tenant=self.tenant, q=q, after=after, limit=limit + 1)
        )
        rows, more = rows[:limit], len(rows) > limit
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "cursor", customers.encode_customer_cursor(rows[-1])) if more else None
        results = s.CustomerSerializer([_customer_data(row) for row in rows], many=True).data
        return Response({"next": next_url, "first": remove_query_param(url, "cursor"), "results": results})


class CustomerDetailView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view"}
    serializer_class = s.CustomerDetailSerializer

    @extend_schema(**schema.CUSTOMERS_RETRIEVE)
    def get(self, request, tenant_slug, email):
        if "\x00" in email or len(email) > 254:
            raise NotFound("No orders for this email.")
        customer = customers.get_customer(tenant=self.tenant, email=email)
        body = {
            "email": customer.email,
            "orders": customer.order_count,
            "spent": customer.spent,
            "currency": customer.currency,
            "last_order_at": customer.last_order.created_at,
            "last_order_number": customer.last_order.number,
            "recent_orders": customer.orders[:RECENT_ORDERS],
        }
        return Response(s.CustomerDetailSerializer(body).data)
