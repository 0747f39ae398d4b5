"""``{% per_request "name" %}``: a per-request part of a page (see ``apps.core.page_cache``)."""

from django import template
from django.utils.safestring import mark_safe

from apps.core import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def per_request(context, name: str) -> str:
    """The placeholder of fragment ``name`` while the page is being cached, else its value."""
    return mark_safe(page_cache.per_request(context.get("request"), name))  # noqa: S308 (escaped or a fixed marker)
