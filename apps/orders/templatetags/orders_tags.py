"""``{% load orders_tags %}``: the storefront header's cart link with its item count."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_countries import countries

register = template.Library()


@register.inclusion_tag("orders/storefront/_cart_link.html", takes_context=True)
def cart_link(context, tenant):
    """The cart link; its count is the per-request part ``cart_count`` (``apps.orders.page_fragments``),
    so a cached storefront page shows each shopper their own count."""
    return {"tenant": tenant, "request": context.get("request")}


ADDRESS_LABELS = {
    "name": ("Full name", "name"),
    "line1": ("Address", "address-line1"),
    "line2": ("Address line 2 (optional)", "address-line2"),
    "city": ("City", "address-level2"),
    "postal_code": ("Postal code", "postal-code"),
    "region": ("Region (optional)", "address-level1"),
    "country": ("Country", "country"),
    "phone": ("Phone (optional)", "tel"),
}


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}``."""
    return (mapping or {}).get(key)


@register.simple_tag
def address_label(name: str) -> str:
    return ADDRESS_LABELS.get(name, (name, ""))[0]


@register.simple_tag
def address_autocomplete(name: str) -> str:
    hint = ADDRESS_LABELS.get(name, ("", ""))[1]
    return format_html(' autocomplete="{}"', hint) if hint else ""


@register.simple_tag
def country_options(selected: str = "") -> str:
    """``<option>`` elements for every country (django-countries), ``selected`` chosen."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, mark_safe(" selected") if code == selected else "", name) for code, name in countries),  # noqa: S308
    )


@register.filter
def split_pairs(text: str) -> list[tuple[str, str]]:
    """``"a:Label A,b:Label B"`` -> ``[("a", "Label A"), ("b", "Label B")]`` (form rows in templates)."""
    return [tuple(item.split(":", 1)) for item in text.split(",") if ":" in item]


@register.filter
def attr(obj, name: str):
    """``{{ obj|attr:"field" }}``: an attribute by name."""
    return getattr(obj, name, "")
