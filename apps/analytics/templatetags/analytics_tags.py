"""``{% analytics_beacon tenant %}``: the storefront's cookieless analytics script tag."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from apps.analytics import services
from apps.core import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def analytics_beacon(context, tenant):
    """A deferred ``<script>`` (no inline JS) carrying the ingest endpoint and the public write-only
    key; a page cached with it is stale once the key rotates."""
    if tenant is None:
        return ""
    key, _ = services.ingest_config(tenant=tenant)
    for name, value in services.ingest_config_dependency(tenant=tenant).items():
        page_cache.add_dependency(context.get("request"), name, value)
    endpoint = reverse("analytics-api:events", kwargs={"tenant_slug": tenant.slug})
    return render_to_string("analytics/beacon.html", {"endpoint": endpoint, "key": key})


@register.filter
def thousands(value):
    """``1234567`` -> ``1,234,567`` (numbers only; anything else unchanged)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return f"{value:,}"
