"""Test-only views that raise each kind of error for real, mounted by ``tests/core/urls_probe.py``."""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.core.context import get_request_id, set_tenant
from apps.core.errors import ApplicationError

logger = logging.getLogger("tests.probe")


# --- "services" that fail the way real services do -------------------------------------------
def service_raising(kind: str):
    if kind == "http404":
        raise Http404("No Widget matches the given query.")
    if kind == "permission":
        raise PermissionDenied("Only owners may archive widgets.")
    if kind == "django_validation":
        raise DjangoValidationError({"sku": ["SKU already used in this shop."]})
    if kind == "application":
        raise ApplicationError(
            "Stock cannot go below zero.", code="insufficient_stock", status=409, details={"available": 3}
        )
    if kind == "crash":
        raise RuntimeError('psycopg.errors.UndefinedTable: relation "secret_table" does not exist SELECT * FROM x')
    raise AssertionError(kind)


class WidgetSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    quantity = serializers.IntegerField(min_value=0)


class OpenView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        logger.warning("inside the probe view")
        return Response({"request_id": get_request_id()})

    def post(self, request):
        serializer = WidgetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class PrivateView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


class DenyAll(BasePermission):
    message = "Widgets are read-only for you."

    def has_permission(self, request, view):
        return False


class ForbiddenView(APIView):
    permission_classes = [DenyAll]

    def get(self, request):
        return Response({"ok": True})


class ServiceErrorView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, kind):
        if request.GET.get("tenant"):
            set_tenant(request.GET["tenant"])
        logger.warning("about to call the service", extra={"kind": kind})
        service_raising(kind)
        return Response({"ok": True})

    def post(self, request, kind):
        request.data  # parse the body, as a real view would  # noqa: B018
        return self.get(request, kind)


class OnePerMinute(AnonRateThrottle):
    scope = "probe"
    rate = "1/min"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OnePerMinute]

    def get(self, request):
        return Response({"ok": True})


@csrf_exempt
def plain_django_crash(request):
    """A plain Django view under /api/ that crashes (not DRF, so no API authentication runs)."""
    if request.GET.get("tenant"):
        set_tenant(request.GET["tenant"])
    request.body  # read the body, as a view handling it would  # noqa: B018
    service_raising("crash")


# --- HTML pages --------------------------------------------------------------------------------
def html_bad_request(request):
    raise SuspiciousOperation("Invalid HTTP_HOST header: secret detail")


def html_forbidden(request):
    raise PermissionDenied


def html_crash(request):
    service_raising("crash")


@csrf_exempt
def html_echo(request):
    return HttpResponse(f"{len(request.POST)} fields")


def enqueue_probe(request):
    """Start a task from a request; the task records the request id it sees."""
    from tests.core import probe_tasks

    key = request.GET["key"]
    probe_tasks.record_once.delay(key)
    return JsonResponse({"queued": key})


@csrf_exempt
def router_probe(request):
    """Which alias reads use before and after this request writes (read-your-writes)."""
    from django.contrib.auth.models import Group

    before = Group.objects.all().db
    seen = Group.objects.filter(name__startswith="router:").count()  # really runs on that alias
    if request.GET.get("write"):
        Group.objects.create(name=f"router:{request.GET['write']}")
    after = Group.objects.all().db
    return JsonResponse({"before": before, "after": after, "seen": seen})


@require_POST
def plain_post_only(request):
    """A plain Django view (not DRF) that only accepts POST and is CSRF-protected."""
    return JsonResponse({"ok": True})


@xframe_options_exempt
def embeddable(request):
    """A page that opts out of X-Frame-Options (e.g. an embeddable widget)."""
    return HttpResponse("embeddable")
