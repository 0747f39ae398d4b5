"""The access benchmark runs and prints its numbers (no timing is asserted)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from apps.tenants.models import Tenant


@pytest.mark.django_db
def test_bench_prints_numbers_and_cleans_up():
    out = StringIO()
    call_command("bench_tenant_access", iterations=5, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 3
    assert all(re.search(r"median=\s*[\d.]+ ms\s+p95=\s*[\d.]+ ms", line) for line in lines)
    assert not Tenant.objects.filter(slug="bench-access").exists()
