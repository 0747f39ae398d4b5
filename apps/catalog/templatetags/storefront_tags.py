"""Storefront template tags: ``{% shop_pages tenant as pages %}`` (the footer's published content
pages), ``{% shop_menus tenant as menus %}`` (the header and footer menus; both cached per catalog
version) and ``{% shop_logo tenant %}`` (the header's logo or name)."""

from django import template

from apps.catalog.content_pages import list_published_pages
from apps.catalog.menus import get_storefront_menus

register = template.Library()


@register.simple_tag
def shop_pages(tenant) -> list[dict]:
    """``[{"kind", "title"}]`` of ``tenant``'s published pages."""
    return list_published_pages(tenant=tenant) if tenant is not None else []


LOGO_HEIGHT = 40  # px in the header; the width follows the image's own proportions


@register.inclusion_tag("catalog/storefront/_logo.html")
def shop_logo(tenant) -> dict:
    """The header's brand: the shop's logo (alt = its name; width and height given so the header
    does not shift while it loads) or, without one, the name as text."""
    if tenant is None or not tenant.logo or not tenant.logo_height:
        return {"tenant": tenant, "logo": None}
    width = max(1, round(tenant.logo_width * LOGO_HEIGHT / tenant.logo_height))
    return {"tenant": tenant, "logo": {"name": tenant.logo.name, "width": width, "height": LOGO_HEIGHT}}


@register.simple_tag
def shop_menus(tenant) -> dict:
    """``{"header": [...], "footer": [...]}`` of ``tenant``'s menus (``menus.get_storefront_menus``);
    an empty list is the default menu."""
    return get_storefront_menus(tenant=tenant) if tenant is not None else {"header": [], "footer": []}
