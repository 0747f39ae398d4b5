"""create_user, get_user_by_email, update_profile: validation and what they store."""

import pytest
from allauth.account.models import EmailAddress
from django.db import connection

from apps.accounts import selectors, services
from apps.accounts.models import User
from apps.core.errors import Invalid
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "violet-otter-47-meadow"


def test_create_user_records_verified_primary_email_address():
    user = services.create_user(email="  Ada@Example.COM ", password=STRONG, name="Ada Lovelace", email_verified=True)
    assert user.email == "ada@example.com"
    assert user.check_password(STRONG)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("ada@example.com", True, True)
    assert selectors.is_email_verified(user=user)


def test_create_user_unverified_by_default_and_lookup_is_case_insensitive():
    user = services.create_user(email="bob@example.com", password=STRONG)
    assert not selectors.is_email_verified(user=user)
    assert selectors.get_user_by_email(email="BOB@example.com ") == user
    assert selectors.get_user_by_email(email="nobody@example.com") is None
    assert selectors.get_user_by_email(email="") is None


def test_none_password_is_unusable():
    user = services.create_user(email="sso@example.com", password=None)
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 250 + "@example.com"}, "email"),
        ({"name": "x" * 151}, "name"),
        ({"name": "bad\x00name"}, "name"),
        ({"password": "short"}, "password"),
        ({"password": "1234567890123"}, "password"),
        ({"password": "password1234"}, "password"),
        ({"password": ""}, "password"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(kwargs, field):
    arguments = {"email": "carol@example.com", "password": STRONG, "name": "Carol", **kwargs}
    with pytest.raises(Invalid) as info:
        services.create_user(**arguments)
    assert field in info.value.details
    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0


def test_password_similar_to_email_is_refused():
    with pytest.raises(Invalid) as info:
        services.create_user(email="margarethamilton@example.com", password="margarethamilton")
    assert "password" in info.value.details


def test_duplicate_email_in_any_case_is_refused():
    services.create_user(email="dup@example.com", password=STRONG)
    with pytest.raises(Invalid) as info:
        services.create_user(email="DUP@example.com", password=STRONG)
    assert "already exists" in info.value.details["email"][0]
    assert User.objects.count() == 1


def test_name_is_encrypted_at_rest_and_readable_in_python():
    user = services.create_user(email="enc@example.com", password=STRONG, name="Grace Hopper")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM accounts_user WHERE id = %s", [user.pk])
        (stored,) = cursor.fetchone()
    assert "Grace" not in stored
    assert stored.startswith("gAAAAA")
    assert User.objects.get(pk=user.pk).name == "Grace Hopper"


def test_update_profile_validates_name():
    user = services.create_user(email="p@example.com", password=STRONG, name="Old")
    services.update_profile(user=user, name="  New Name ")
    assert User.objects.get(pk=user.pk).name == "New Name"
    with pytest.raises(Invalid):
        services.update_profile(user=user, name="y" * 200)
    assert User.objects.get(pk=user.pk).name == "New Name"


def test_login_lookup_is_case_insensitive_on_the_lower_email_index():
    """``get_by_natural_key`` (every login) compares ``LOWER(email)``, which the unique index
    serves, not ``UPPER(email)``, which no index serves (a sequential scan at 100,000 users)."""
    from django.test.utils import CaptureQueriesContext

    user = UserFactory(email="mixed.case@example.com")
    with CaptureQueriesContext(connection) as queries:
        assert User.objects.get_by_natural_key("  Mixed.CASE@Example.com ") == user
    sql = queries[-1]["sql"]
    assert 'LOWER("accounts_user"."email"' in sql and "UPPER(" not in sql
