"""Fixtures for the accounts tests: verified users and an API client helper."""

import pytest
from rest_framework.test import APIClient

from tests.factories import verified_user as make_verified_user

STRONG_PASSWORD = "violet-otter-47-meadow"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def verified_user(db):
    """Ada, verified, with ``STRONG_PASSWORD`` (``tests.factories.verified_user``)."""
    return make_verified_user("ada@example.com", password=STRONG_PASSWORD, name="Ada")


@pytest.fixture
def login(api):
    """``login(email, password=..., client="web")`` -> the token response (asserting 200)."""

    def _login(email="ada@example.com", password=STRONG_PASSWORD, client="web", expect=200):
        response = api.post(
            "/api/v1/auth/token", {"email": email, "password": password, "client": client}, format="json"
        )
        assert response.status_code == expect, response.content
        return response.json()

    return _login
