"""Small helpers shared by the tenants tests."""

from allauth.account.models import EmailAddress

from tests.factories import UserFactory


def verified_user(email: str, **fields):
    """A user whose login email is verified (as after allauth's confirmation)."""
    user = UserFactory(email=email, **fields)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user
