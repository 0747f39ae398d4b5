"""Template helpers: ``{{ access|can:"catalog.view" }}`` and the header's tenant switcher list."""

from django import template

from apps.tenants import selectors

register = template.Library()


@register.filter
def can(access, permission: str) -> bool:
    """Whether a ``TenantAccess`` (``request.tenant_access``) grants ``permission``."""
    return bool(access) and access.can(permission)


@register.simple_tag(takes_context=True)
def my_memberships(context, limit: int = 20):
    """The signed-in user's memberships (with tenants) for the tenant switcher."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(selectors.list_memberships_for_user(user=user)[:limit])
