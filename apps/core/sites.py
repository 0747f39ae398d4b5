"""The ``django.contrib.sites`` row follows ``SITE_URL``, so emails (allauth's verification and
password-reset links, invitations) name the real host instead of Django's default "example.com"."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

SITE_NAME = "Bazaar"


def sync_site(using: str = "default", **_signal_kwargs) -> None:
    """Create or update the ``SITE_ID`` row from ``SITE_URL`` (connected to ``post_migrate``)."""
    from django.contrib.sites.models import Site  # noqa: PLC0415 - needs the app registry ready

    domain = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": SITE_NAME})
    Site.objects.clear_cache()
