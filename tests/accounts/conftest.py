"""Fixtures for the accounts tests: verified users and an API client helper."""

import pytest
from rest_framework.test import APIClient

from apps.accounts import services

STRONG_PASSWORD = "violet-otter-47-meadow"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def verified_user(db):
    return services.create_user(email="ada@example.com", password=STRONG_PASSWORD, name="Ada", email_verified=True)


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
