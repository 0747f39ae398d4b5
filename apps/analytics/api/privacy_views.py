"""The data subject's API: ``/api/v1/me/export``, ``/api/v1/me/erase``, ``/api/v1/me/consent``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.reauth import confirm_identity
from apps.analytics import services
from apps.analytics.privacy import requests as privacy

RequestOut = inline_serializer(
    "PrivacyRequestOut",
    {"id": serializers.UUIDField(), "kind": serializers.CharField(), "status": serializers.CharField()},
)


def _out(request) -> dict:
    return {"id": str(request.public_id), "kind": request.kind, "status": request.status}


class ExportMyDataView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_export",
        summary="Export everything Bazaar holds about me (background; link by email, valid 24 h)",
        request=None,
        responses={202: RequestOut},
        tags=["privacy"],
    )
    def post(self, request):
        return Response(_out(privacy.request_data_export(user=request.user)), status=status.HTTP_202_ACCEPTED)


class EraseMeSerializer(serializers.Serializer):
    confirm_email = serializers.EmailField(help_text="Your account's email address, to confirm")
    password = serializers.CharField(
        required=False, max_length=4096, trim_whitespace=False, write_only=True, help_text="Your password (or code)"
    )
    code = serializers.CharField(required=False, max_length=64, help_text="A two-factor or recovery code (or password)")


class EraseMeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_erase",
        summary="Erase my account and personal data in every app, after a 24-hour grace period cancellable "
        "from the email (re-authenticate with password or code)",
        request=EraseMeSerializer,
        responses={202: RequestOut},
        examples=[
            OpenApiExample(
                "Confirm",
                value={"confirm_email": "me@example.com", "password": "violet-otter-47-meadow"},
                request_only=True,
            )
        ],
        tags=["privacy"],
    )
    def post(self, request):
        serializer = EraseMeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        confirm_identity(
            request=request._request, user=request.user, password=data.get("password"), code=data.get("code")
        )
        result = privacy.request_erasure(user=request.user, confirm_email=data["confirm_email"])
        return Response(_out(result), status=status.HTTP_202_ACCEPTED)


class ConsentSerializer(serializers.Serializer):
    analytics = serializers.BooleanField(help_text="Link my storefront visits to my account")


class ConsentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_consent_get", responses={200: ConsentSerializer}, tags=["privacy"])
    def get(self, request):
        return Response({"analytics": services.has_consent(user=request.user)})

    @extend_schema(
        operation_id="me_consent_put", request=ConsentSerializer, responses={200: ConsentSerializer}, tags=["privacy"]
    )
    def put(self, request):
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.set_consent(user=request.user, analytics=serializer.validated_data["analytics"])
        return Response({"analytics": consent.analytics})
