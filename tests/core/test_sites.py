"""The Site row (used by allauth's emails) follows SITE_URL instead of Django's "example.com"."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail

from apps.core.sites import sync_site


@pytest.mark.django_db
def test_migrate_names_the_site_after_site_url(settings):
    site = Site.objects.get(pk=settings.SITE_ID)
    assert site.domain == settings.SITE_URL.split("://", 1)[1]
    assert site.domain != "example.com"


@pytest.mark.django_db
def test_sync_follows_a_changed_site_url(settings):
    settings.SITE_URL = "https://shop.bazaar.test"
    sync_site()
    assert Site.objects.get_current().domain == "shop.bazaar.test"
    assert Site.objects.get_current().name == "Bazaar"


@pytest.mark.django_db
def test_the_verification_email_names_the_real_site(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://shop.bazaar.test"
    sync_site()
    with django_capture_on_commit_callbacks(execute=True):  # the email task is published after commit
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new-person@example.org",
                "password1": "violet-otter-47-meadow",
                "password2": "violet-otter-47-meadow",
            },
        )
    assert response.status_code in (200, 302)
    assert mail.outbox, "a verification email was sent"
    body = mail.outbox[-1].subject + mail.outbox[-1].body
    assert "example.com" not in body
    assert "shop.bazaar.test" in body
