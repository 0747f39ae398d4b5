"""Fail-closed scoping: a query on a tenant-owned model without a tenant raises."""

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import Count

from apps.tenants.scoping import TenantOwnedModel, UnscopedQueryError


class ScopingProbe(TenantOwnedModel):
    """A tenant-owned model that exists only for these tests (its table is made per test)."""

    # DO_NOTHING: deleting a tenant elsewhere in the suite must not look for this per-test table.
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.DO_NOTHING, related_name="+")
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "tenants"
        managed = False


# Keep the probe out of the app registry: code that walks every model (erasure checks, the
# deletion collector) must not find a table that exists only inside these tests.
apps.all_models["tenants"].pop("scopingprobe", None)
apps.clear_cache()


@pytest.fixture
def scoped_model(db):
    with connection.schema_editor() as editor:
        editor.create_model(ScopingProbe)
    # PostgreSQL DDL is transactional: the table goes away with the test's rollback.
    return ScopingProbe


def test_unscoped_queries_raise(scoped_model, tenant):
    scoped_model.objects.create(tenant=tenant, name="a")
    with pytest.raises(UnscopedQueryError):
        list(scoped_model.objects.all())
    with pytest.raises(UnscopedQueryError):
        scoped_model.objects.filter(name="a").count()
    with pytest.raises(UnscopedQueryError):
        scoped_model.objects.filter(name="a").exists()
    with pytest.raises(UnscopedQueryError):
        scoped_model.objects.all().update(name="b")
    with pytest.raises(UnscopedQueryError):
        scoped_model.objects.all().delete()
    with pytest.raises(UnscopedQueryError):
        scoped_model.objects.get(name="a")
    with pytest.raises(UnscopedQueryError):
        scoped_model.objects.for_tenant(None)


def test_scoped_queries_see_only_their_tenant(scoped_model, tenant):
    from tests.factories import TenantFactory

    other = TenantFactory()
    scoped_model.objects.create(tenant=tenant, name="mine")
    scoped_model.objects.create(tenant=other, name="theirs")
    assert [w.name for w in scoped_model.objects.for_tenant(tenant)] == ["mine"]
    assert scoped_model.objects.for_tenant(other.pk).get().name == "theirs"
    assert scoped_model.objects.all_tenants().count() == 2


@pytest.mark.parametrize(
    "run",
    [
        lambda model: list(model.objects.all().iterator()),
        lambda model: model.objects.aggregate(n=Count("id")),
        lambda model: model.objects.in_bulk(),
        lambda model: model.objects.all().explain(),
    ],
    ids=["iterator", "aggregate", "in_bulk", "explain"],
)
def test_every_terminal_operation_is_guarded(scoped_model, tenant, run):
    scoped_model.objects.create(tenant=tenant, name="a")
    with pytest.raises(UnscopedQueryError):
        run(scoped_model)


def test_every_terminal_operation_works_scoped(scoped_model, tenant):
    scoped_model.objects.create(tenant=tenant, name="a")
    scoped = scoped_model.objects.for_tenant(tenant)
    assert scoped.aggregate(n=Count("id")) == {"n": 1}
    assert len(scoped.in_bulk()) == 1 and len(list(scoped.iterator())) == 1
    assert scoped.filter(name="a").update(name="b") == 1
    assert scoped.delete()[0] == 1
