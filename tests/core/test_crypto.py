"""apps.core.crypto: byte helpers, the model field, key rotation (real PostgreSQL)."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from apps.accounts.models import User
from apps.core import crypto

KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()


def raw_name(user_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM accounts_user WHERE id = %s", [user_id])
        return cursor.fetchone()[0]


def test_bytes_round_trip_and_tamper_detection(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    token = crypto.encrypt_bytes(b"secret export \x00\xff")
    assert b"secret" not in token
    assert crypto.decrypt_bytes(token) == b"secret export \x00\xff"
    tampered = token[:-5] + (b"A" if token[-5:-4] != b"A" else b"B") + token[-4:]
    with pytest.raises(InvalidToken):
        crypto.decrypt_bytes(tampered)


def test_old_key_still_decrypts_after_a_new_key_is_put_first(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    token = crypto.encrypt_bytes(b"data")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    assert crypto.decrypt_bytes(token) == b"data"
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW]
    with pytest.raises(InvalidToken):
        crypto.decrypt_bytes(token)


def test_comma_separated_string_and_derived_default(settings):
    settings.FIELD_ENCRYPTION_KEYS = f"{KEY_NEW}, {KEY_OLD}"
    assert crypto.configured_keys() == [KEY_NEW, KEY_OLD]
    settings.FIELD_ENCRYPTION_KEYS = []
    assert crypto.configured_keys() == [crypto.derive_development_key(settings.SECRET_KEY)]


def test_bad_key_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt_bytes(b"x")


@pytest.mark.django_db
def test_field_stores_ciphertext_and_empty_stays_empty(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    named = User.objects.create_user("named@example.com", "x", name="Ada Lovelace")
    blank = User.objects.create_user("blank@example.com", "x", name="")
    assert raw_name(named.pk).startswith("gAAAAA")
    assert raw_name(blank.pk) == ""
    assert User.objects.get(pk=named.pk).name == "Ada Lovelace"
    assert User.objects.get(pk=blank.pk).name == ""


@pytest.mark.django_db
def test_rotate_command_reencrypts_every_row_with_the_current_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    users = [User.objects.create_user(f"u{i}@example.com", "x", name=f"Person {i}") for i in range(7)]
    User.objects.create_user("empty@example.com", "x", name="")
    before = {user.pk: raw_name(user.pk) for user in users}

    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    call_command("rotate_encryption_keys", "--batch-size", "3")

    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW]  # the old key is gone: everything must still read
    for index, user in enumerate(users):
        assert raw_name(user.pk) != before[user.pk]
        assert User.objects.get(pk=user.pk).name == f"Person {index}"
    assert ("accounts", "User") in {(m._meta.app_label, m.__name__) for m, _ in crypto.encrypted_fields()}


@pytest.mark.django_db
def test_rotate_reports_counts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    User.objects.create_user("one@example.com", "x", name="One")
    User.objects.create_user("two@example.com", "x", name="")
    counts = crypto.rotate_encrypted_fields(batch_size=1, models_=[User])
    assert counts == {"accounts.User": 1}
