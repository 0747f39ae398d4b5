"""Shared fixtures: real PostgreSQL (pytest-django's test database), real Redis (flushed around
each test), users and tenants with roles."""

import pytest
from django.core.cache import cache

from tests.factories import DEFAULT_PASSWORD, MembershipFactory, TenantFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty cache (the real Redis database of the test settings)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def tenant(db):
    return TenantFactory()


@pytest.fixture
def make_member(db):
    """``make_member(tenant, role)`` -> a new user with that role in ``tenant``."""

    def _make(tenant, role="viewer", **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(tenant=tenant, user=user, role=role)
        return user

    return _make


@pytest.fixture
def owner(tenant, make_member):
    return make_member(tenant, "owner")
