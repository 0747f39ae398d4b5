"""``{% analytics_beacon tenant %}``: the storefront's cookieless analytics script tag."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from apps.analytics import services

register = template.Library()


@register.simple_tag
def analytics_beacon(tenant):
    """A deferred ``<script>`` (no inline JS) carrying the ingest endpoint and the public write-only key."""
    if tenant is None:
        return ""
    key, _ = services.ingest_config(tenant=tenant)
    endpoint = reverse("analytics-api:events", kwargs={"tenant_slug": tenant.slug})
    return render_to_string("analytics/beacon.html", {"endpoint": endpoint, "key": key})


@register.filter
def thousands(value):
    """``1234567`` -> ``1,234,567`` (numbers only; anything else unchanged)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return f"{value:,}"
