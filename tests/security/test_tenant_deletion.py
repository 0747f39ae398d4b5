"""Issue 10 items 9 and 10: every way a shop is deleted (the API, the console, the erasure of a
shop or of its only member) goes through one service that also removes its raw analytics events
(an analytics hook) and its image, job and export files (after commit); the erasure walk then finds
nothing; and a deleted shop's address can never be claimed again."""

import io
import uuid
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.analytics import event_store
from apps.analytics.event_store import EventRow
from apps.analytics.models import ReportExport
from apps.analytics.privacy import verify
from apps.analytics.tenant_deletion import purge_tenant_analytics
from apps.catalog.images import add_product_image
from apps.catalog.models import CatalogJob
from apps.catalog.tenant_deletion import list_tenant_files
from apps.core.errors import Invalid
from apps.tenants import deletion, services
from apps.tenants.models import RetiredSlug, Tenant
from tests.catalog.factories import make_product
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def furnished_shop(owner, slug, capture_on_commit):
    """A shop with a product image (and thumbnails), an import job file, an export file and events."""
    tenant = services.create_tenant(user=owner, name="Doomed", slug=slug)
    product = make_product(tenant, "Lamp")
    with capture_on_commit(execute=True):  # thumbnails are made after commit
        image = add_product_image(tenant=tenant, product=product, upload=png())
    image.refresh_from_db()
    job = CatalogJob(tenant=tenant, kind="import")
    job.source.save("import.csv", ContentFile(b"sku,name\n"), save=False)
    job.save()
    name = default_storage.save(f"analytics/exports/{tenant.pk}/x.csv", ContentFile(b"key,label,count\n"))
    ReportExport.objects.create(
        tenant=tenant, report="pages", date_from="2026-01-01", date_to="2026-01-02", file_name=name
    )
    now = datetime.now(tz=UTC)
    event_store.write_batch(
        [
            EventRow(
                tenant_id=tenant.pk,
                occurred_at=now,
                event_id=str(uuid.uuid4()),
                received_at=now,
                type="page_view",
                visitor="v" * 32,
            )
        ]
    )
    files = [image.image.name, *image.thumbnails.values(), job.source.name, name]
    assert image.thumbnails and all(default_storage.exists(f) for f in files)
    assert event_store.count_events(tenant_id=tenant.pk) == 1
    return tenant, files


def assert_gone(tenant_id, files):
    assert event_store.count_events(tenant_id=tenant_id) == 0
    assert [f for f in files if default_storage.exists(f)] == []
    assert verify.find_tenant_traces(tenant_id=tenant_id) == []


def test_hooks_of_the_higher_apps_are_registered():
    assert purge_tenant_analytics in deletion.registered_hooks()
    assert list_tenant_files in deletion.registered_hooks()


def test_api_delete_removes_events_and_files_after_commit(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    tenant, files = furnished_shop(owner, "doomed-api", django_capture_on_commit_callbacks)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.delete(
            f"/api/v1/t/{tenant.slug}/", {"password": DEFAULT_PASSWORD}, content_type="application/json"
        )
        assert response.status_code == 204
        assert all(default_storage.exists(f) for f in files)  # not before the commit
    for callback in callbacks:
        callback()
    assert_gone(tenant.pk, files)


def test_a_rolled_back_deletion_keeps_every_file(django_capture_on_commit_callbacks):
    owner = UserFactory()
    tenant, files = furnished_shop(owner, "doomed-rollback", django_capture_on_commit_callbacks)

    def failing_hook(tenant_id):
        raise RuntimeError("boom")

    deletion.register_tenant_deletion_hook(failing_hook)
    try:
        with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
            services.delete_tenant(tenant=tenant, by=owner)
    finally:
        deletion._hooks.remove(failing_hook)
    assert Tenant.objects.filter(pk=tenant.pk).exists()
    assert all(default_storage.exists(f) for f in files)
    assert event_store.count_events(tenant_id=tenant.pk) == 1
    assert not RetiredSlug.objects.filter(slug=tenant.slug).exists()


def test_erasing_the_only_member_deletes_the_shop_completely(django_capture_on_commit_callbacks):
    owner = UserFactory()
    tenant, files = furnished_shop(owner, "doomed-erasure", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_user_from_tenants(user=owner)
    assert not Tenant.objects.filter(pk=tenant.pk).exists()
    assert_gone(tenant.pk, files)


def test_console_delete_goes_through_the_same_service(client, django_capture_on_commit_callbacks):
    from tests.conftest import reauthenticate

    owner = UserFactory()
    tenant, files = furnished_shop(owner, "doomed-console", django_capture_on_commit_callbacks)
    client.force_login(owner)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/a/{tenant.slug}/delete/", {"confirm_slug": tenant.slug})
    assert response.status_code == 302
    assert_gone(tenant.pk, files)


@pytest.mark.parametrize("who", ["someone-else", "the-old-owner"])
def test_a_deleted_shops_slug_stays_reserved(who):
    owner = UserFactory()
    tenant = services.create_tenant(user=owner, name="Old", slug="old-corner")
    services.delete_tenant(tenant=tenant, by=owner)
    assert RetiredSlug.objects.filter(slug="old-corner").exists()
    with pytest.raises(Invalid) as caught:
        services.create_tenant(
            user=owner if who == "the-old-owner" else UserFactory(), name="Squatter", slug="old-corner"
        )
    assert "slug" in caught.value.details


def test_the_api_refuses_a_retired_slug(client):
    owner = UserFactory()
    services.delete_tenant(tenant=services.create_tenant(user=owner, name="Old", slug="old-api"), by=owner)
    client.force_login(UserFactory())
    response = client.post("/api/v1/tenants", {"name": "New", "slug": "old-api"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["slug"]


def test_staff_deletion_in_the_admin_uses_the_service_too(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    tenant, files = furnished_shop(owner, "doomed-admin", django_capture_on_commit_callbacks)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/tenants/tenant/{tenant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert_gone(tenant.pk, files)
    assert RetiredSlug.objects.filter(slug="doomed-admin").exists()
