"""The tenants API over a real session: shapes, statuses, errors, foreign-id injection."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from apps.tenants import services
from apps.tenants.models import Invitation, Membership, Tenant
from tests.factories import DEFAULT_PASSWORD, TenantFactory, UserFactory
from tests.tenants.helpers import verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_login(user)
    return api


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "details", "request_id"} <= set(body["error"])
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_my_tenants_lists_memberships_with_role(api, tenant, make_member):
    user = make_member(tenant, "editor")
    TenantFactory()  # not mine
    body = as_user(api, user).get("/api/v1/tenants").json()
    assert [(row["tenant"]["slug"], row["role"]) for row in body["results"]] == [(tenant.slug, "editor")]
    assert "next" in body and "previous" in body


def test_my_tenants_paginates_with_limit(api, user):
    for i in range(3):
        Membership.objects.create(tenant=TenantFactory(slug=f"page-{i}"), user=user, role="viewer")
    first = as_user(api, user).get("/api/v1/tenants?limit=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert len(api.get("/api/v1/tenants?limit=100").json()["results"]) == 3


@pytest.mark.parametrize("limit", ["0", "101", "1000", "ten", "-1"])
def test_a_limit_outside_1_to_100_is_refused(api, user, limit):
    """As the schema says (minimum 1, maximum 100), not silently replaced by the default."""
    response = as_user(api, user).get(f"/api/v1/tenants?limit={limit}")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"limit": ["Enter a whole number from 1 to 100."]}


def test_anonymous_api_gets_401_in_error_shape(api, tenant):
    assert_error(api.get("/api/v1/tenants"), 401)
    assert_error(api.get(f"/api/v1/t/{tenant.slug}/"), 401)
    assert_error(api.get("/api/v1/t/no-such-shop/"), 401)


def test_create_tenant(api, user):
    response = as_user(api, user).post("/api/v1/tenants", {"name": "Corner", "slug": "corner"}, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "corner" and response.json()["currency"] == "EUR"
    assert Membership.objects.get(tenant__slug="corner", user=user).role == "owner"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"name": "X", "slug": "admin"}, "slug"),
        ({"name": "X", "slug": "api"}, "slug"),
        ({"name": "X", "slug": "static"}, "slug"),
        ({"name": "X", "slug": "ünïcode"}, "slug"),
        ({"name": "X" * 150, "slug": "long-name"}, "name"),
        ({"name": "X", "slug": "cur", "currency": "ABC"}, "currency"),
        ({"name": "X", "slug": "tzz", "time_zone": "Moon/Base"}, "time_zone"),
        ({"slug": "noname"}, "name"),
    ],
)
def test_create_tenant_bad_input(api, user, payload, field):
    error = assert_error(as_user(api, user).post("/api/v1/tenants", payload, format="json"), 400, "validation_error")
    assert field in error["details"]
    assert not Tenant.objects.exists()


def test_create_tenant_duplicate_slug(api, user, tenant):
    error = assert_error(
        as_user(api, user).post("/api/v1/tenants", {"name": "Y", "slug": tenant.slug}, format="json"), 400
    )
    assert "already taken" in error["details"]["slug"][0]


def test_tenant_detail_update_delete(api, tenant, owner, make_member):
    viewer = make_member(tenant, "viewer")
    url = f"/api/v1/t/{tenant.slug}/"
    assert as_user(api, viewer).get(url).json()["slug"] == tenant.slug
    assert_error(api.patch(url, {"name": "Hacked"}, format="json"), 403, "permission_denied")
    assert_error(api.delete(url), 403)
    as_user(api, owner)
    response = api.patch(url, {"name": "Renamed", "time_zone": "America/New_York"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Renamed"
    assert_error(api.patch(url, {"currency": "NOPE"}, format="json"), 400, "validation_error")
    assert_error(api.delete(url), 403, "reauthentication_required")
    assert_error(api.delete(url, {"password": "not-the-password"}, format="json"), 403, "reauthentication_required")
    assert Tenant.objects.filter(pk=tenant.pk).exists()
    assert api.delete(url, {"password": DEFAULT_PASSWORD}, format="json").status_code == 204
    assert not Tenant.objects.filter(pk=tenant.pk).exists()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/t/{slug}/", "/api/v1/t/{slug}/members/", "/api/v1/t/does-not-exist/"],
    ids=["shop", "members", "unknown-shop"],
)
def test_outsider_gets_404_in_error_shape(api, tenant, owner, url):
    stranger = UserFactory()
    Membership.objects.create(tenant=TenantFactory(), user=stranger, role="owner")
    as_user(api, stranger)
    assert_error(api.get(url.format(slug=tenant.slug)), 404, "not_found")


def test_members_list_and_role_change(api, tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    as_user(api, owner)
    members = api.get(f"/api/v1/t/{tenant.slug}/members/").json()["results"]
    assert {(m["user"]["email"], m["role"]) for m in members} == {(owner.email, "owner"), (editor.email, "editor")}
    mid = Membership.objects.get(user=editor).pk
    url = f"/api/v1/t/{tenant.slug}/members/{mid}/"
    assert api.get(url).json()["role"] == "editor"
    assert api.patch(url, {"role": "analyst"}, format="json").json()["role"] == "analyst"
    assert_error(api.patch(url, {"role": "emperor"}, format="json"), 400, "validation_error")
    owner_url = f"/api/v1/t/{tenant.slug}/members/{Membership.objects.get(user=owner).pk}/"
    assert_error(api.patch(owner_url, {"role": "viewer"}, format="json"), 409, "last_owner")
    assert_error(api.delete(owner_url), 409, "last_owner")
    assert api.delete(url).status_code == 204
    assert not Membership.objects.filter(user=editor).exists()


def test_foreign_member_id_is_refused_and_changes_nothing(api, tenant, owner):
    other = TenantFactory()
    victim = Membership.objects.create(tenant=other, user=UserFactory(), role="owner")
    as_user(api, owner)
    url = f"/api/v1/t/{tenant.slug}/members/{victim.pk}/"
    assert_error(api.patch(url, {"role": "viewer"}, format="json"), 404)
    assert_error(api.delete(url), 404)
    assert_error(api.get(url), 404)
    victim.refresh_from_db()
    assert victim.role == "owner"


def test_invitation_flow_over_the_api(api, tenant, owner, django_capture_on_commit_callbacks):
    as_user(api, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/t/{tenant.slug}/invitations/", {"email": "kim@example.com", "role": "editor"}, format="json"
        )
    assert response.status_code == 201
    body = response.json()
    token = body["token"]
    assert body["status"] == "pending" and body["accept_url"].endswith(f"/invitations/{token}/")
    assert token in mail.outbox[0].body
    listed = api.get(f"/api/v1/t/{tenant.slug}/invitations/").json()["results"]
    assert [row["email"] for row in listed] == ["kim@example.com"] and "token" not in listed[0]
    # someone else, logged in, cannot accept it
    other = UserFactory(email="eve@example.com")
    assert_error(as_user(api, other).post(f"/api/v1/invitations/{token}/accept"), 403, "invitation_email_mismatch")
    assert not Membership.objects.filter(user=other).exists()
    kim = verified_user("kim@example.com")
    response = as_user(api, kim).post(f"/api/v1/invitations/{token}/accept")
    assert response.status_code == 200 and response.json()["role"] == "editor"
    assert_error(api.post(f"/api/v1/invitations/{token}/accept"), 410, "invitation_used")
    assert_error(api.post("/api/v1/invitations/bogus/accept"), 404, "invitation_not_found")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"email": "nope", "role": "viewer"}, "email"),
        ({"email": "x" * 300 + "@example.com", "role": "viewer"}, "email"),
        ({"email": "kim@example.com", "role": "god"}, "role"),
        ({"role": "viewer"}, "email"),
    ],
)
def test_invitation_bad_input(api, tenant, owner, payload, field):
    error = assert_error(as_user(api, owner).post(f"/api/v1/t/{tenant.slug}/invitations/", payload, format="json"), 400)
    assert field in error["details"]
    assert not Invitation.objects.exists()


def test_invite_yourself_and_revoke(api, tenant, owner):
    as_user(api, owner)
    error = assert_error(
        api.post(f"/api/v1/t/{tenant.slug}/invitations/", {"email": owner.email, "role": "viewer"}, format="json"), 400
    )
    assert "yourself" in error["details"]["email"][0]
    created = api.post(
        f"/api/v1/t/{tenant.slug}/invitations/", {"email": "k@example.com", "role": "viewer"}, format="json"
    ).json()
    assert api.delete(f"/api/v1/t/{tenant.slug}/invitations/{created['id']}/").status_code == 204
    assert_error(api.delete(f"/api/v1/t/{tenant.slug}/invitations/{created['id']}/"), 409)


def test_leave_over_the_api(api, tenant, owner, make_member):
    viewer = make_member(tenant, "viewer")
    assert as_user(api, viewer).post(f"/api/v1/t/{tenant.slug}/leave").status_code == 204
    assert_error(api.get(f"/api/v1/t/{tenant.slug}/"), 404)
    assert_error(as_user(api, owner).post(f"/api/v1/t/{tenant.slug}/leave"), 409, "last_owner")


def test_session_api_needs_csrf(tenant, owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.patch(f"/api/v1/t/{tenant.slug}/", {"name": "X"}, format="json")
    assert response.status_code == 403
    tenant.refresh_from_db()
    assert tenant.name != "X"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tenants",
        "/api/v1/t/{tenant_slug}/",
        "/api/v1/t/{tenant_slug}/members/",
        "/api/v1/t/{tenant_slug}/members/{membership_id}/",
        "/api/v1/t/{tenant_slug}/invitations/",
        "/api/v1/t/{tenant_slug}/invitations/{invitation_id}/",
        "/api/v1/invitations/{token}/accept",
        "/api/v1/t/{tenant_slug}/audit/",
    ],
)
def test_schema_documents_tenant_endpoints(api, user, path):
    response = as_user(api, user).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert path in response.json()["paths"], path


def test_list_query_counts_stay_flat(api, tenant, owner, make_member, django_assert_max_num_queries):
    for _ in range(15):
        make_member(tenant, "viewer")
    as_user(api, owner)
    api.get(f"/api/v1/t/{tenant.slug}/members/")  # warm the membership cache
    with django_assert_max_num_queries(6):
        assert len(api.get(f"/api/v1/t/{tenant.slug}/members/").json()["results"]) == 16
    for i in range(10):
        Membership.objects.create(tenant=TenantFactory(slug=f"many-{i}"), user=owner, role="viewer")
    with django_assert_max_num_queries(5):
        assert len(api.get("/api/v1/tenants").json()["results"]) == 11


def test_jwt_clients_get_the_same_answers(tenant, owner, make_member):
    """A bearer token never carries tenant authority by itself: membership is checked per request."""
    from apps.accounts import services as account_services

    client = APIClient()
    outsider = UserFactory()
    token = account_services.issue_tokens(user=outsider, client="mobile").access
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_error(client.get(f"/api/v1/t/{tenant.slug}/"), 404, "not_found")
    viewer = make_member(tenant, "viewer")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {account_services.issue_tokens(user=viewer, client='web').access}")
    assert client.get(f"/api/v1/t/{tenant.slug}/").status_code == 200
    assert_error(client.delete(f"/api/v1/t/{tenant.slug}/"), 403)
    services.remove_member(tenant=tenant, by=owner, membership_id=Membership.objects.get(user=viewer).pk)
    assert_error(client.get(f"/api/v1/t/{tenant.slug}/"), 404)  # same token, membership gone: refused at once
    response = APIClient().get(f"/api/v1/t/{tenant.slug}/")
    assert response.status_code == 401 and "Bearer" in response["WWW-Authenticate"]


ODD_VALUES = [
    None,
    "",
    " ",
    "\x00",
    "a\x00b",
    "🛒" * 60,
    "x" * 5000,
    12,
    -1,
    3.5,
    True,
    [],
    {},
    ["a"],
    {"a": 1},
    "<script>",
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=[repr(v)[:20] for v in ODD_VALUES])
def test_odd_values_get_400_never_500(api, tenant, owner, make_member, value):
    editor = make_member(tenant, "editor")
    mid = Membership.objects.get(user=editor).pk
    as_user(api, owner)
    before = (Tenant.objects.count(), Invitation.objects.count(), Membership.objects.get(pk=mid).role)
    requests = [
        ("post", "/api/v1/tenants", {"name": value, "slug": value}),
        ("post", "/api/v1/tenants", {"name": "Fine", "slug": "fine-slug", "currency": value, "time_zone": value}),
        ("patch", f"/api/v1/t/{tenant.slug}/", {"name": value, "currency": value, "time_zone": value}),
        ("patch", f"/api/v1/t/{tenant.slug}/members/{mid}/", {"role": value}),
        ("post", f"/api/v1/t/{tenant.slug}/invitations/", {"email": value, "role": value}),
        ("post", f"/api/v1/t/{tenant.slug}/invitations/", value),
    ]
    for method, url, payload in requests:
        response = getattr(api, method)(url, payload, format="json")
        assert response.status_code == 400, (method, url, payload, response.status_code, response.content[:300])
        assert response.json()["error"]["code"] in ("validation_error", "malformed_request")
    assert before == (Tenant.objects.count(), Invitation.objects.count(), Membership.objects.get(pk=mid).role)


def test_audit_trail_api(api, tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    services.change_role(tenant=tenant, by=owner, membership_id=Membership.objects.get(user=editor).pk, role="admin")
    services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    body = as_user(api, owner).get(f"/api/v1/t/{tenant.slug}/audit/?limit=1").json()
    assert [row["action"] for row in body["results"]] == ["invitation.create"]
    assert body["results"][0]["actor"] == owner.email
    older = api.get(body["next"]).json()["results"]
    assert older[0]["action"] == "member.role_change" and older[0]["metadata"] == {"from": "editor", "to": "admin"}
    assert_error(as_user(api, make_member(tenant, "editor")).get(f"/api/v1/t/{tenant.slug}/audit/"), 403)


def test_payload_cannot_move_rows_to_another_tenant(api, tenant, owner):
    other = TenantFactory()
    as_user(api, owner)
    response = api.patch(
        f"/api/v1/t/{tenant.slug}/",
        {"name": "Kept", "slug": other.slug, "id": other.pk, "public_id": str(other.public_id)},
        format="json",
    )
    assert response.status_code == 200
    tenant.refresh_from_db()
    assert (tenant.name, tenant.slug) == ("Kept", response.json()["slug"]) and tenant.slug != other.slug
    created = api.post(
        f"/api/v1/t/{tenant.slug}/invitations/",
        {"email": "k@example.com", "role": "viewer", "tenant": other.pk},
        format="json",
    )
    assert created.status_code == 201
    assert Invitation.objects.get(pk=created.json()["id"]).tenant_id == tenant.pk
    assert not Invitation.objects.filter(tenant=other).exists()
