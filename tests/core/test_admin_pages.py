"""Every model registered in the Django admin opens for platform staff: its list, its search, its
add form (where adding is allowed) and the change form of a real row, with demo data loaded."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from apps.demo.loader import load_demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_page_opens(client):
    load_demo(products=20)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    request = RequestFactory().get("/admin/")
    request.user = staff
    failures = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_changelist") + "?q=demo"]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{prefix}_add"))
        row = model_admin.get_queryset(request).first()
        if row is not None:
            pages.append(reverse(f"{prefix}_change", args=[row.pk]))
        failures += [f"{url} -> {status}" for url in pages if (status := client.get(url).status_code) != 200]
    assert failures == []
