"""Small helpers shared by the tenants tests."""

from tests.factories import verified_user

__all__ = ["verified_user"]
