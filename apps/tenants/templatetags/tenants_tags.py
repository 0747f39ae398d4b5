"""Template helpers: ``{{ access|can:"catalog.view" }}`` and the header's tenant switcher list."""

from django import template

from apps.tenants import selectors
from apps.tenants.audit_text import describe_audit_entry
from apps.tenants.roles import ROLE_DESCRIPTIONS

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


@register.filter
def audit_sentence(entry) -> str:
    """An audit entry in words (see ``apps.tenants.audit_text``)."""
    return describe_audit_entry(entry)


@register.filter
def role_description(role: str) -> str:
    """What a role may do, as shown where roles are chosen."""
    return ROLE_DESCRIPTIONS.get(role, "")
