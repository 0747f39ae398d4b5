"""The data subject's API: ``/api/v1/me/export``, ``/api/v1/me/erase``, ``/api/v1/me/consent``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.reauth import confirm_identity
from apps.analytics import services
from apps.analytics.api import schema as api_schema
from apps.analytics.api.serializers import ConsentSerializer, EraseMeSerializer
from apps.analytics.privacy import requests as privacy


def _out(request) -> dict:
    return {"id": str(request.public_id), "kind": request.kind, "status": request.status}


class ExportMyDataView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(**api_schema.ME_EXPORT)
    def post(self, request):
        return Response(_out(privacy.request_data_export(user=request.user)), status=status.HTTP_202_ACCEPTED)


class EraseMeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(**api_schema.ME_ERASE)
    def post(self, request):
        serializer = EraseMeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        confirm_identity(
            request=request._request, user=request.user, password=data.get("password"), code=data.get("code")
        )
        result = privacy.request_erasure(user=request.user, confirm_email=data["confirm_email"])
        return Response(_out(result), status=status.HTTP_202_ACCEPTED)


class ConsentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(**api_schema.ME_CONSENT_GET)
    def get(self, request):
        return Response({"analytics": services.has_consent(user=request.user)})

    @extend_schema(**api_schema.ME_CONSENT_PUT)
    def put(self, request):
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.set_consent(user=request.user, analytics=serializer.validated_data["analytics"])
        return Response({"analytics": consent.analytics})
