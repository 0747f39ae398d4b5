"""Primary/replica routing with read-your-writes, against a replica alias that mirrors the primary
(config/settings/test.py), with the router installed as it is when DATABASE_REPLICA_URL is set."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from apps.core import db_router

ROUTERS = ["apps.core.db_router.PrimaryReplicaRouter"]

pytestmark = pytest.mark.urls("tests.core.urls_probe")
both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def router(settings):
    settings.DATABASE_ROUTERS = ROUTERS
    token = db_router.reset_written()
    yield
    db_router.restore_written(token)


def test_the_test_settings_define_a_mirror(settings):
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"


@both_databases
def test_reads_go_to_the_replica_until_a_write(router):
    assert Group.objects.all().db == "replica"
    assert Group.objects.count() == 0  # runs on the replica connection
    Group.objects.create(name="router:direct")
    assert Group.objects.all().db == "default"
    assert Group.objects.filter(name="router:direct").exists()


@both_databases
def test_reads_inside_a_transaction_use_the_primary(router):
    with transaction.atomic():
        assert Group.objects.all().db == "default"
    assert Group.objects.all().db == "replica"


@both_databases
def test_each_request_starts_on_the_replica_and_sticks_to_the_primary_after_writing(router, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())  # the sticky cookie is for a signed-in browser
    first = client.get("/probe/router/?write=a").json()
    assert (first["before"], first["after"], first["seen"]) == ("replica", "default", 0)
    # The same browser's next request reads its own write from the primary (the short sticky cookie) ...
    assert client.cookies[db_router.STICKY_COOKIE]["max-age"] == db_router.STICKY_SECONDS
    sticky = client.get("/probe/router/").json()
    assert (sticky["before"], sticky["seen"]) == ("default", 1)
    # ... and another request without it starts on the replica: the flag did not leak.
    client.cookies.pop(db_router.STICKY_COOKIE)
    second = client.get("/probe/router/").json()
    assert (second["before"], second["after"]) == ("replica", "replica")
    assert second["seen"] == 1  # the replica (a mirror) sees the committed write
    unsafe = client.post("/probe/router/").json()
    assert unsafe["before"] == "default"  # an unsafe method reads its own writes from the start


def test_writes_relations_and_migrations_go_to_the_primary():
    router = db_router.PrimaryReplicaRouter()
    assert router.db_for_write(Group) == "default"
    assert router.allow_migrate("default", "auth") is True
    assert router.allow_migrate("replica", "auth") is False
    assert router.allow_relation(object(), object()) is True


def test_without_the_router_everything_uses_the_primary():
    assert Group.objects.all().db == "default"


@both_databases
def test_sessions_and_lockouts_are_always_read_from_the_primary(router):
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session

    assert Session.objects.all().db == "default"
    assert AccessAttempt.objects.all().db == "default"
    assert Group.objects.all().db == "replica"


def test_read_your_writes_runs_before_the_session_is_loaded(settings):
    middleware = settings.MIDDLEWARE
    position = middleware.index("apps.core.db_router.ReadYourWritesMiddleware")
    assert position < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")


def test_authority_is_read_from_the_primary():
    """Memberships (tenants) and users (token version) never come from a lagging replica."""
    from apps.accounts.models import User
    from apps.tenants.models import Membership

    router = db_router.PrimaryReplicaRouter()
    token = db_router.reset_written()
    try:
        assert router.db_for_read(Membership) == "default"
        assert router.db_for_read(User) == "default"
        assert router.db_for_read(Group) == "replica"
    finally:
        db_router.restore_written(token)


def test_an_unreachable_replica_sends_reads_to_the_primary(settings):
    """The probe is a real TCP connect: a replica whose port is closed is skipped."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    settings.DATABASES["replica"] = {**settings.DATABASES["replica"], "HOST": "127.0.0.1", "PORT": str(closed)}
    db_router._probe.clear()
    router = db_router.PrimaryReplicaRouter()
    token = db_router.reset_written()
    try:
        assert db_router.replica_reachable() is False
        assert router.db_for_read(Group) == "default"
    finally:
        db_router.restore_written(token)
        db_router._probe.clear()


@both_databases
def test_a_bearer_client_reads_its_own_writes_without_cookies(router, client):
    """API clients keep no cookies: the token's write is remembered server-side for STICKY_SECONDS."""
    mobile = {"HTTP_AUTHORIZATION": "Bearer token-of-phone-a"}
    other = {"HTTP_AUTHORIZATION": "Bearer token-of-phone-b"}
    write = client.post("/probe/router/", **mobile)
    assert db_router.STICKY_COOKIE not in write.cookies  # no cookie for a bearer client
    client.cookies.clear()
    sticky = client.get("/probe/router/", **mobile).json()
    assert sticky["before"] == "default"  # the same token's next read goes to the primary
    fresh = client.get("/probe/router/", **other).json()
    assert fresh["before"] == "replica"  # another token is not affected
    anonymous = client.get("/probe/router/").json()
    assert anonymous["before"] == "replica"


@both_databases
def test_a_bearer_read_without_a_write_sets_no_mark(router, client):
    mobile = {"HTTP_AUTHORIZATION": "Bearer token-that-only-reads"}
    assert client.get("/probe/router/", **mobile).json()["before"] == "replica"
    assert client.get("/probe/router/", **mobile).json()["before"] == "replica"


@both_databases
def test_a_task_reads_from_the_primary(router):
    """A task is handed rows written a moment ago; a lagging replica would not have them yet."""
    from tests.core import probe_tasks

    assert Group.objects.all().db == "replica"  # a request that has not written: the replica
    assert probe_tasks.read_alias.apply().get() == "default"
    assert Group.objects.all().db == "replica"  # and the caller's own choice is restored after it
