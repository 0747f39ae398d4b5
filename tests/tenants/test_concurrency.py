"""Races on the last-owner rule: two owners stepping down at once leave exactly one owner."""

import threading

import pytest
from django.db import connection

from apps.core.errors import ApplicationError
from apps.tenants import services
from apps.tenants.models import Membership
from tests.factories import MembershipFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_owners_demoting_themselves_at_once_keep_one_owner():
    tenant = TenantFactory()
    owners = [UserFactory(), UserFactory()]
    memberships = [MembershipFactory(tenant=tenant, user=user, role="owner") for user in owners]
    barrier = threading.Barrier(2)
    outcomes = []

    def step_down(user, membership):
        try:
            barrier.wait(timeout=5)
            services.change_role(tenant=tenant, by=user, membership_id=membership.pk, role="admin")
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=pair) for pair in zip(owners, memberships, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["last_owner", "ok"]
    assert Membership.objects.filter(tenant=tenant, role="owner").count() == 1
