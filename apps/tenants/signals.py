"""Cache invalidation for membership and tenant changes, wherever they are made (services, the
Django admin, shell).

The services call ``access.invalidate_membership_cache`` explicitly; these receivers make sure a
platform-staff edit in the admin is not hidden behind the short membership cache either, and that
any save or delete of a tenant forgets its cached public lookup (``access.get_public_tenant``).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.tenants.access import invalidate_membership_cache, invalidate_public_tenant
from apps.tenants.models import Membership, Tenant


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="tenants_membership_cache")
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    if Membership.tenant.is_cached(instance):  # loaded with its tenant: no query per membership
        slug = instance.tenant.slug
    else:
        slug = Tenant.objects.filter(pk=instance.tenant_id).values_list("slug", flat=True).first()
    if slug:  # a tenant already gone has no cached memberships to forget that matter
        invalidate_membership_cache(user_id=instance.user_id, slug=slug)


@receiver(post_delete, sender=Tenant, dispatch_uid="tenants_tenant_public_cache")
def tenant_deleted(sender, instance: Tenant, **kwargs) -> None:
    invalidate_public_tenant(slug=instance.slug)


@receiver(post_save, sender=Tenant, dispatch_uid="tenants_tenant_cache")
def tenant_changed(sender, instance: Tenant, created: bool, **kwargs) -> None:
    invalidate_public_tenant(slug=instance.slug)
    if created:
        return
    for user_id in Membership.objects.filter(tenant=instance).values_list("user_id", flat=True):
        invalidate_membership_cache(user_id=user_id, slug=instance.slug)
