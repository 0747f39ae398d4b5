"""``{% load money %}`` then ``{{ amount|money:currency }}`` -> ``€24.00`` (Babel, active language)."""

from django import template

from apps.core.money import format_money

register = template.Library()


@register.filter(name="money")
def money_filter(amount, currency: str = "EUR") -> str:
    """Format ``amount`` in ``currency`` for the active language."""
    return format_money(amount, currency or "EUR")
