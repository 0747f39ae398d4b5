"""Creating, changing and deleting tenants (the creator becomes the owner; only owners delete)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from apps.core.errors import ApplicationError, ErrorCode, Invalid
from apps.core.images import check_image_upload
from apps.tenants import deletion, validation
from apps.tenants.access import invalidate_tenant_pages
from apps.tenants.models import Membership, Tenant
from apps.tenants.roles import Role
from apps.tenants.services.common import _field_errors, _invalidate, _require, record_audit


@transaction.atomic
def create_tenant(*, user, name: str, slug: str, currency: str = "EUR", time_zone: str = "UTC") -> Tenant:
    """Create a tenant and make ``user`` its owner."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise ApplicationError("Log in to create a shop.", code=ErrorCode.NOT_AUTHENTICATED, status=401)
    cleaned = _field_errors(
        name=(validation.validate_name, name),
        slug=(validation.validate_slug, slug),
        currency=(validation.validate_currency, currency),
        time_zone=(validation.validate_time_zone, time_zone),
    )
    if Tenant.objects.filter(slug=cleaned["slug"]).exists() or deletion.is_slug_retired(cleaned["slug"]):
        raise Invalid({"slug": ["This address is already taken. Choose another."]})
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(**cleaned)
    except IntegrityError:  # a concurrent create took the slug between the check and the insert
        raise Invalid({"slug": ["This address is already taken. Choose another."]}) from None
    Membership.objects.create(tenant=tenant, user=user, role=Role.OWNER)
    _invalidate(tenant, user.pk)
    record_audit(tenant=tenant, actor=user, action="tenant.create", target=tenant.slug, metadata=cleaned)
    return tenant


@transaction.atomic
def update_tenant(
    *,
    tenant: Tenant,
    by,
    name=None,
    currency=None,
    time_zone=None,
    brand_colour=None,
    accent_colour=None,
    tagline=None,
) -> Tenant:
    """Change the tenant's name, currency, time zone and/or storefront theme (brand and accent
    colours, checked for contrast; tagline) (``tenant.edit``). The slug is permanent."""
    _require(tenant=tenant, user=by, permission="tenant.edit")
    checks = {}
    if brand_colour is not None:
        checks["brand_colour"] = (validation.validate_theme_colour, brand_colour)
    if accent_colour is not None:
        checks["accent_colour"] = (validation.validate_theme_colour, accent_colour)
    if tagline is not None:
        checks["tagline"] = (validation.validate_tagline, tagline)
    if name is not None:
        checks["name"] = (validation.validate_name, name)
    if currency is not None:
        checks["currency"] = (validation.validate_currency, currency)
    if time_zone is not None:
        checks["time_zone"] = (validation.validate_time_zone, time_zone)
    cleaned = _field_errors(**checks)
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    changes = {
        field: [getattr(tenant, field), value] for field, value in cleaned.items() if getattr(tenant, field) != value
    }
    for field, value in cleaned.items():
        setattr(tenant, field, value)
    if changes:
        tenant.save(update_fields=[*changes, "updated_at"])
        # The cached membership holds the tenant object: refresh every member's entry.
        _invalidate(tenant, *Membership.objects.filter(tenant=tenant).values_list("user_id", flat=True))
        transaction.on_commit(lambda tenant_id=tenant.pk: invalidate_tenant_pages(tenant_id))
        record_audit(tenant=tenant, actor=by, action="tenant.update", target=tenant.slug, metadata=changes)
    return tenant


@transaction.atomic
def delete_tenant(*, tenant: Tenant, by) -> None:
    """Delete the tenant and everything it owns (``tenant.delete``: owners only)."""
    _require(tenant=tenant, user=by, permission="tenant.delete")
    user_ids = list(Membership.objects.filter(tenant=tenant).values_list("user_id", flat=True))
    record_audit(tenant=tenant, actor=by, action="tenant.delete", target=tenant.slug, metadata={"name": tenant.name})
    _invalidate(tenant, *user_ids)
    transaction.on_commit(lambda tenant_id=tenant.pk: invalidate_tenant_pages(tenant_id))
    deletion.purge_tenant(tenant=tenant)


LOGO_MAX_BYTES = 2 * 1024 * 1024  # a header logo; product photos have their own, larger limit
LOGO_MAX_PIXELS = 4_000_000


@transaction.atomic
def set_tenant_logo(*, tenant: Tenant, by, upload) -> Tenant:
    """Store ``upload`` as the shop's storefront logo (``tenant.edit``), checked by
    ``apps.core.images.check_image_upload`` (≤ 2 MB, ≤ 4 Mpx, JPEG/PNG/WebP/GIF; SVG refused: it
    can carry scripts and cannot be checked like a raster image). Replaces and deletes the old file."""
    _require(tenant=tenant, user=by, permission="tenant.edit")
    ext, width, height = check_image_upload(upload, max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS, field="logo")
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    old = tenant.logo.name
    tenant.logo.save(f"logo.{ext}", upload, save=False)
    tenant.logo_width, tenant.logo_height = width, height
    tenant.save(update_fields=["logo", "logo_width", "logo_height", "updated_at"])
    _after_theme_change(tenant, by, "tenant.logo_set", old)
    return tenant


@transaction.atomic
def remove_tenant_logo(*, tenant: Tenant, by) -> Tenant:
    """Remove the shop's logo (``tenant.edit``): the header shows the shop's name again."""
    _require(tenant=tenant, user=by, permission="tenant.edit")
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    old = tenant.logo.name
    if not old:
        return tenant
    tenant.logo, tenant.logo_width, tenant.logo_height = "", 0, 0
    tenant.save(update_fields=["logo", "logo_width", "logo_height", "updated_at"])
    _after_theme_change(tenant, by, "tenant.logo_remove", old)
    return tenant


def _after_theme_change(tenant: Tenant, by, action: str, old_file: str) -> None:
    """Refresh cached memberships (they hold the tenant) and pages, audit, and delete the old file
    once the change is committed."""
    _invalidate(tenant, *Membership.objects.filter(tenant=tenant).values_list("user_id", flat=True))
    transaction.on_commit(lambda tenant_id=tenant.pk: invalidate_tenant_pages(tenant_id))
    if old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    record_audit(tenant=tenant, actor=by, action=action, target=tenant.slug)
