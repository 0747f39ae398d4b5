"""Issue 15, item 5: erasing a person costs the same number of queries whether they belong to 3
shops or 30 (it took 1,515 queries for a member of 300 shops before the erasure was rewritten to
work per table, not per membership; see docs/performance.md "GDPR at 300 tenants"). Real
PostgreSQL; the verification walk is part of the count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.analytics.models import JobStatus, PrivacyRequest, PrivacyRequestKind
from apps.analytics.privacy.requests import erase_user, subject_hash
from tests.factories import MembershipFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


def erasure_queries(shops: int) -> int:
    """Queries of one erasure of a member of ``shops`` shops (each shop keeps another owner)."""
    person = UserFactory()
    for index in range(shops):
        tenant = TenantFactory()
        MembershipFactory(tenant=tenant, role="owner")
        MembershipFactory(tenant=tenant, user=person, role=("viewer", "editor", "admin")[index % 3])
    request = PrivacyRequest.objects.create(
        kind=PrivacyRequestKind.ERASE, user=person, subject=subject_hash("user", person.public_id)
    )
    with CaptureQueriesContext(connection) as queries:
        done = erase_user(request_id=request.pk)
    assert done.status == JobStatus.DONE and done.verification["verified"], done.verification
    return len(queries)


def test_erasure_queries_do_not_grow_with_the_number_of_shops():
    few, many = erasure_queries(3), erasure_queries(30)
    assert many == few, (few, many)
