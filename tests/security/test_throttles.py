"""Issue 10 item 3: the API throttles apply (anonymous per address, signed-in per user), tenant
creation and invitation sending have scopes of their own, and a refusal is 429 in the error shape
with ``Retry-After``. Counters in the real Redis."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_redis import get_redis_connection
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


def set_rate(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def assert_throttled(response):
    assert response.status_code == 429, response.content
    error = response.json()["error"]
    assert error["code"] == "throttled" and error["request_id"]
    assert int(response["Retry-After"]) >= 1


def test_anonymous_requests_are_throttled_per_address(settings):
    tenant = TenantFactory()
    set_rate(settings, anon="2/min")
    client = APIClient()
    url = f"/api/v1/t/{tenant.slug}/catalog/public/products/"
    statuses = [client.get(url, REMOTE_ADDR="10.9.0.1").status_code for _ in range(6)]
    assert statuses[:2] == [200, 200]
    assert statuses[2:] == [429] * 4
    assert_throttled(client.get(url, REMOTE_ADDR="10.9.0.1"))
    assert client.get(url, REMOTE_ADDR="10.9.0.2").status_code == 200  # another address has its own count


def test_signed_in_requests_are_throttled_per_user(settings):
    user = UserFactory()
    set_rate(settings, user="3/min")
    client = APIClient()
    client.force_authenticate(user)
    statuses = [client.get("/api/v1/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = APIClient()
    other.force_authenticate(UserFactory())
    assert other.get("/api/v1/me").status_code == 200


def test_tenant_creation_has_its_own_scope(settings):
    set_rate(settings, tenant_create="2/hour")
    client = APIClient()
    client.force_authenticate(UserFactory())
    made = [
        client.post("/api/v1/tenants", {"name": f"Shop {i}", "slug": f"shop-throttle-{i}"}, format="json").status_code
        for i in range(3)
    ]
    assert made == [201, 201, 429]
    assert client.get("/api/v1/tenants").status_code == 200  # listing is not charged to the scope


def test_invitation_sending_has_its_own_scope(settings):
    tenant = TenantFactory()
    owner = UserFactory()
    MembershipFactory(tenant=tenant, user=owner, role="owner")
    set_rate(settings, invitations="2/hour")
    client = APIClient()
    client.force_authenticate(owner)
    url = f"/api/v1/t/{tenant.slug}/invitations/"
    sent = [client.post(url, {"email": f"p{i}@example.com", "role": "viewer"}, format="json") for i in range(3)]
    assert [r.status_code for r in sent[:2]] == [201, 201]
    assert_throttled(sent[2])
    assert client.get(url).status_code == 200


def test_an_anonymous_request_is_counted_once_by_the_anonymous_rate(settings):
    """DRF's user throttle would also count anonymous callers per address (a second counter, two
    more Redis round trips); only the ``anon`` counter is kept for them."""
    tenant = TenantFactory()
    set_rate(settings, anon="100/min", user="1/min")  # a user rate that would refuse the 2nd
    client = APIClient()
    url = f"/api/v1/t/{tenant.slug}/catalog/public/products/"
    assert [client.get(url, REMOTE_ADDR="10.9.0.3").status_code for _ in range(3)] == [200, 200, 200]
    keys = {key.decode() for key in get_redis_connection("default").keys("*throttle_*")}
    assert any("throttle_anon_" in key for key in keys) and not any("throttle_user_" in key for key in keys), keys


# Views that answer without the API throttles, each with its reason in apps/core/throttling.py.
UNTHROTTLED = {"IngestEventsView", "StripeWebhookView"}


def api_views():
    """(route, view class) of every DRF view under /api/v1/."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                route = prefix + str(pattern.pattern)
                if view is not None and route.startswith("api/v1/"):
                    found.append((route, view))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_api_view_is_throttled_unless_documented():
    views = api_views()
    assert len(views) > 40  # the walk really found the API
    unthrottled = {view.__name__ for _, view in views if not view().get_throttles()}
    assert unthrottled == UNTHROTTLED, unthrottled
