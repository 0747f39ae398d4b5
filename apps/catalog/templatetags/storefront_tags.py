"""``{% load storefront_tags %}{% shop_pages tenant as pages %}``: the shop's published content
pages for the storefront's footer (cached per catalog version)."""

from django import template

from apps.catalog.content_pages import list_published_pages

register = template.Library()


@register.simple_tag
def shop_pages(tenant) -> list[dict]:
    """``[{"kind", "title"}]`` of ``tenant``'s published pages."""
    return list_published_pages(tenant=tenant) if tenant is not None else []
