"""The Django admin site of the platform: Bazaar's titles, and one "Accounts" section.

Django lists models by the app that defines them, so people appeared under three headings: our
users under "Accounts", allauth's email addresses under a second "Accounts", MFA authenticators
under "MFA" and groups under "Authentication and Authorization". :class:`BazaarAdminSite` folds
those into the ``accounts`` section on the index (each model keeps its own URLs and permissions).
``BazaarAdminConfig`` replaces ``django.contrib.admin`` in ``INSTALLED_APPS`` to make it the
default site, so every ``admin.register`` uses it.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig

# app label -> the section (app label) its models are listed in on the admin index
FOLDED_SECTIONS = {"account": "accounts", "mfa": "accounts", "auth": "accounts"}


class BazaarAdminSite(AdminSite):
    """The admin site with Bazaar's titles and the people-related sections folded together."""

    site_header = "Bazaar administration"
    site_title = "Bazaar admin"
    index_title = "Platform"

    def get_app_list(self, request, app_label=None):
        """The index's sections, with :data:`FOLDED_SECTIONS` merged into their target."""
        sections = super().get_app_list(request, app_label)
        if app_label is not None:
            return sections
        by_label = {section["app_label"]: section for section in sections}
        for label, target in FOLDED_SECTIONS.items():
            if label in by_label and target in by_label:
                by_label[target]["models"].extend(by_label.pop(label)["models"])
                by_label[target]["models"].sort(key=lambda model: model["name"])
        return [section for section in sections if section["app_label"] in by_label]


class BazaarAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`BazaarAdminSite` as its default site."""

    default_site = "apps.core.admin_site.BazaarAdminSite"
