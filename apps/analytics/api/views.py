"""Analytics API views: event ingestion (public, by ingest key) and reports (members)."""

from __future__ import annotations

import json

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from apps.analytics import selectors, services
from apps.analytics.api import schema as api_schema
from apps.analytics.privacy.visitor import client_ip
from apps.core.errors import ApplicationError, ErrorCode, Invalid
from apps.tenants.access import resolve_member_access
from apps.tenants.api.permissions import TenantScopedAPIMixin

KEY_HEADER = api_schema.KEY_HEADER


def max_body_bytes() -> int:
    return settings.ANALYTICS_MAX_BODY_BYTES


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
        raise ApplicationError(f"The body is larger than {limit} bytes.", code=ErrorCode.PAYLOAD_TOO_LARGE, status=413)
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "text/plain", ""):
        raise ApplicationError(
            "Send the batch as application/json or text/plain JSON.", code=ErrorCode.UNSUPPORTED_MEDIA_TYPE, status=415
        )
    body = request.body
    if len(body) > limit:
        raise ApplicationError(f"The body is larger than {limit} bytes.", code=ErrorCode.PAYLOAD_TOO_LARGE, status=413)
    try:
        return json.loads(body or b"null", parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApplicationError("The body is not valid JSON.", code=ErrorCode.MALFORMED_REQUEST) from None


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
            raise ApplicationError(
                "The ingest key is not valid for this shop.", code=ErrorCode.INVALID_INGEST_KEY, status=401
            )
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

    @extend_schema(**api_schema.ANALYTICS_INGEST_EVENTS)
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

    @extend_schema(**api_schema.ANALYTICS_REPORT)
    def get(self, request, tenant_slug: str, report: str):
        try:
            limit = int(request.query_params.get("limit", 10))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            raise Invalid({"limit": ["1 to 100."]}, message="limit must be 1 to 100.")
        rng = selectors.resolve_range(
            tenant=self.tenant,
            period=request.query_params.get("period", "7d"),
            date_from=request.query_params.get("from"),
            date_to=request.query_params.get("to"),
        )
        services.refresh_live_rollups(tenant=self.tenant)
        return Response(selectors.build_report(tenant=self.tenant, name=report, rng=rng, limit=limit))
