"""Analytics API views: event ingestion (public, by ingest key) and reports (members)."""

from __future__ import annotations

import json

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from apps.analytics import selectors, services
from apps.analytics.api.serializers import IngestBatchSerializer, IngestResultSerializer
from apps.analytics.privacy.visitor import client_ip
from apps.core.errors import ApplicationError
from apps.tenants.access import resolve_member_access
from apps.tenants.api.permissions import TenantScopedAPIMixin

KEY_HEADER = "X-Analytics-Key"


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(
        description=f"{description} (error shape: {{'error': {{code, message, details, request_id}}}})"
    )


INGEST_ERRORS = {
    400: _error("Malformed body or batch: not JSON, not 1-100 events, bad sent_at"),
    401: _error("Missing or wrong ingest key, or invalid token"),
    403: _error("Session without CSRF token"),
    404: _error("No such shop, or not a member"),
    413: _error("Body larger than ANALYTICS_MAX_BODY_BYTES"),
    415: _error("Content type other than application/json or text/plain"),
    429: _error("Rate limited; see Retry-After"),
}
REPORT_ERRORS = {
    400: _error("Bad from/to/period/limit"),
    401: _error("Not authenticated"),
    403: _error("Your role lacks analytics.view"),
    404: _error("Unknown report, no such shop or not a member"),
}


def max_body_bytes() -> int:
    return int(getattr(settings, "ANALYTICS_MAX_BODY_BYTES", 256 * 1024))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def read_json_body(request) -> object:
    """The JSON body (``application/json`` or ``text/plain`` from sendBeacon), bounded in size."""
    limit = max_body_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise ApplicationError(f"The body is larger than {limit} bytes.", code="payload_too_large", status=413)
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "text/plain", ""):
        raise ApplicationError(
            "Send the batch as application/json or text/plain JSON.", code="unsupported_media_type", status=415
        )
    body = request.body
    if len(body) > limit:
        raise ApplicationError(f"The body is larger than {limit} bytes.", code="payload_too_large", status=413)
    try:
        return json.loads(body or b"null", parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApplicationError("The body is not valid JSON.", code="malformed_request") from None


def _authenticators(*, with_session: bool):
    for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if not with_session and cls.__name__ == "SessionAuthentication":
            continue
        yield cls()


def public_tenant(*, slug: str):
    """The tenant for the ingest hot path (with its ingest config, one Redis GET)."""
    return services.load_ingest_tenant(slug=slug)


def authenticate_caller(request, *, tenant, key: str | None):
    """The user to link events to (or None). With a key: the key must be the tenant's; the signed-in
    user (session or JWT) is only used for consented linking. Without a key: a member is required."""
    if key is not None:
        if not services.check_ingest_key(tenant=tenant, key=key):
            raise ApplicationError("The ingest key is not valid for this shop.", code="invalid_ingest_key", status=401)
        for authenticator in _authenticators(with_session=False):
            result = authenticator.authenticate(request)
            if result:
                return result[0]
        user = getattr(request._request, "user", None)
        return user if user is not None and user.is_authenticated else None
    for authenticator in _authenticators(with_session=True):
        result = authenticator.authenticate(request)
        if result:
            resolve_member_access(user=result[0], slug=tenant.slug)
            return result[0]
    raise NotAuthenticated("Send the shop's ingest key, or authenticate as a member.")


class IngestEventsView(APIView):
    """``POST /api/v1/t/<slug>/analytics/events``: a batch of 1-100 events, answered 202."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []
    throttle_classes: list = []  # documented exception: counts events per address/visitor/tenant itself

    def perform_authentication(self, request):
        """Authentication is done by :func:`authenticate_caller` (key, JWT or session), not up front,
        so that the Django session user stays visible for consented linking."""

    @extend_schema(
        operation_id="analytics_ingest_events",
        summary="Send a batch of analytics events",
        description=(
            "Public endpoint authenticated by the shop's write-only ingest key (body `key` or header "
            "`X-Analytics-Key`) or by a member's JWT. Accepts `application/json` and `text/plain` "
            "(navigator.sendBeacon). Each event is accepted or rejected with a reason; 429 with "
            "Retry-After when rate-limited, 413 for bodies over the limit."
        ),
        request=IngestBatchSerializer,
        responses={202: IngestResultSerializer, **INGEST_ERRORS},
        parameters=[OpenApiParameter(KEY_HEADER, str, OpenApiParameter.HEADER, required=False)],
        examples=[
            OpenApiExample(
                "Page view",
                request_only=True,
                value={
                    "key": "ik_...",
                    "sent_at": "2026-11-26T12:00:01Z",
                    "events": [
                        {
                            "event_id": "0b6a5c1e-3f7e-4a57-9a5e-0c1d2e3f4a5b",
                            "type": "page_view",
                            "occurred_at": "2026-11-26T12:00:00Z",
                            "url": "https://shop.example/s/acme/",
                        }
                    ],
                },
            )
        ],
        tags=["analytics"],
    )
    def post(self, request, tenant_slug: str):
        tenant = public_tenant(slug=tenant_slug)
        payload = read_json_body(request._request)
        key = request.headers.get(KEY_HEADER)
        if key is None and isinstance(payload, dict) and "key" in payload:
            key = str(payload.get("key") or "")
        user = authenticate_caller(request, tenant=tenant, key=key)
        client = services.ClientInfo(
            ip=client_ip(request._request),
            user_agent=request.headers.get("User-Agent", ""),
            gpc=request.headers.get("Sec-GPC", "").strip() == "1",
        )
        body = services.ingest_events(tenant=tenant, payload=payload, client=client, user=user)
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ReportView(TenantScopedAPIMixin, APIView):
    """``GET /api/v1/t/<slug>/analytics/reports/<report>?from=&to=``: the dashboard's numbers."""

    tenant_permissions = {"GET": "analytics.view"}

    @extend_schema(
        operation_id="analytics_report",
        summary="One analytics report over a date range (tenant time zone)",
        description=(
            "Reports: summary (totals, previous period and change), timeseries (visitors and pageviews per "
            "day, per hour for one day), pages, products, referrers, search-terms, zero-result-searches. "
            "`from`/`to` are local dates (YYYY-MM-DD) of the shop; or `period` = today, 7d, 30d."
        ),
        parameters=[
            OpenApiParameter("report", str, OpenApiParameter.PATH, enum=list(selectors.REPORTS)),
            OpenApiParameter("from", str, description="First local date, YYYY-MM-DD"),
            OpenApiParameter("to", str, description="Last local date, YYYY-MM-DD"),
            OpenApiParameter("period", str, enum=["today", "7d", "30d"]),
            OpenApiParameter("limit", int, description="Rows of a top list, 1-100 (default 10)"),
        ],
        responses={200: dict, **REPORT_ERRORS},
        examples=[
            OpenApiExample(
                "Top pages",
                response_only=True,
                value={
                    "report": "pages",
                    "from": "2026-11-01",
                    "to": "2026-11-07",
                    "time_zone": "Europe/Paris",
                    "rows": [{"key": "/s/acme/", "label": "/s/acme/", "count": 120}],
                },
            )
        ],
        tags=["analytics"],
    )
    def get(self, request, tenant_slug: str, report: str):
        try:
            limit = int(request.query_params.get("limit", 10))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            raise ApplicationError("limit must be 1 to 100.", code="validation_error", details={"limit": ["1 to 100."]})
        rng = selectors.resolve_range(
            tenant=self.tenant,
            period=request.query_params.get("period", "7d"),
            date_from=request.query_params.get("from"),
            date_to=request.query_params.get("to"),
        )
        services.refresh_live_rollups(tenant=self.tenant)
        return Response(selectors.build_report(tenant=self.tenant, name=report, rng=rng, limit=limit))
