"""Cache invalidation for membership changes made outside the services (the Django admin, shell).

The services call ``access.invalidate_membership_cache`` explicitly; these receivers make sure a
platform-staff edit in the admin is not hidden behind the short membership cache either.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.tenants.access import invalidate_membership_cache
from apps.tenants.models import Membership, Tenant


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="tenants_membership_cache")
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    if Membership.tenant.is_cached(instance):  # loaded with its tenant: no query per membership
        slug = instance.tenant.slug
    else:
        slug = Tenant.objects.filter(pk=instance.tenant_id).values_list("slug", flat=True).first()
    if slug:  # a tenant already gone has no cached memberships to forget that matter
        invalidate_membership_cache(user_id=instance.user_id, slug=slug)


@receiver(post_save, sender=Tenant, dispatch_uid="tenants_tenant_cache")
def tenant_changed(sender, instance: Tenant, created: bool, **kwargs) -> None:
    if created:
        return
    for user_id in Membership.objects.filter(tenant=instance).values_list("user_id", flat=True):
        invalidate_membership_cache(user_id=user_id, slug=instance.slug)
