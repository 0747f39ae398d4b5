"""Encryption at rest for personal data: a model field and byte helpers on Fernet/MultiFernet.

Keys come from the environment variable ``FIELD_ENCRYPTION_KEYS`` (setting of the same name):
comma-separated url-safe base64 Fernet keys, the **first is current** (it encrypts), the others are
still accepted for decryption, so a key can be rotated in three steps:

1. put a new key first in ``FIELD_ENCRYPTION_KEYS`` and keep the old one after it; deploy;
2. run ``manage.py rotate_encryption_keys`` (re-encrypts every :class:`EncryptedTextField` of every
   model with the current key, in batches);
3. drop the old key from the list; deploy.

Without the setting (development, tests) one key is derived from ``SECRET_KEY``; production
settings refuse to start without ``FIELD_ENCRYPTION_KEYS``. Fernet is AES-128-CBC with HMAC-SHA256
and a timestamp: authenticated, so a tampered value fails to decrypt instead of reading as garbage.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.functions import Cast

__all__ = [
    "EncryptedTextField",
    "InvalidToken",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "encrypted_fields",
    "reset_keys",
    "rotate_encrypted_fields",
    "rotate_token",
]

# Fernet tokens always start with version byte 0x80, which is "gAAAAA" in url-safe base64.
_TOKEN_PREFIX = "gAAAAA"


def derive_development_key(secret_key: str) -> str:
    """A Fernet key derived from ``SECRET_KEY`` (only when no ``FIELD_ENCRYPTION_KEYS`` is set)."""
    digest = hashlib.sha256(("bazaar-field-encryption:" + secret_key).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def configured_keys() -> list[str]:
    """The configured keys, current first (a derived development key if none are set)."""
    raw = settings.FIELD_ENCRYPTION_KEYS or []
    if isinstance(raw, str):
        raw = raw.split(",")
    keys = [key.strip() for key in raw if key and key.strip()]
    return keys or [derive_development_key(settings.SECRET_KEY)]


@lru_cache(maxsize=1)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold url-safe base64 32-byte Fernet keys") from exc


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(configured_keys()))


def reset_keys() -> None:
    """Forget the cached key set (after changing ``FIELD_ENCRYPTION_KEYS`` at runtime, e.g. in tests)."""
    _fernet_for.cache_clear()


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt ``data`` with the current key; the result is a url-safe base64 Fernet token."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """Decrypt a token made by :func:`encrypt_bytes` with any configured key.

    Raises :class:`cryptography.fernet.InvalidToken` if it was tampered with or no key fits.
    """
    return _fernet().decrypt(token)


def encrypt_text(value: str) -> str:
    """Encrypt a string; returns the token as text."""
    return encrypt_bytes(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    """Decrypt a token made by :func:`encrypt_text`."""
    return decrypt_bytes(token.encode("ascii")).decode("utf-8")


def rotate_token(token: str) -> str:
    """Re-encrypt a token with the current key (MultiFernet.rotate keeps the original timestamp)."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the plain string.

    - The empty string and ``None`` are stored as they are (nothing to hide, and ``blank`` works).
    - Encrypted values cannot be searched, ordered or compared in SQL: filter in Python, or keep
      a separate keyed hash column if you need lookups.
    - Length limits are a form/serializer concern: pass ``max_length`` and it is validated on the
      plain text (the ciphertext is longer, the column is ``text``).
    """

    description = "Text encrypted at rest (Fernet)"

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every concrete model with at least one :class:`EncryptedTextField`, and those fields' names."""
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        names = [field.attname for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
        if names:
            yield model, names


def _base_manager_queryset(model: type[models.Model]):
    # The base manager is never a fail-closed tenant manager: rotation must see every tenant's rows.
    return model._base_manager.all()


def rotate_encrypted_fields(*, batch_size: int = 500, models_: Iterable[type[models.Model]] | None = None) -> dict:
    """Re-encrypt every :class:`EncryptedTextField` value with the current key, in batches.

    Reads the raw column values (no decryption into Python objects), rotates each token and writes
    the batch back with one ``UPDATE`` per row inside a transaction per batch. Returns
    ``{"app_label.Model": rows_rewritten}``. Safe to re-run: rotating an already current token
    just re-encrypts it.
    """
    wanted = set(models_) if models_ is not None else None
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        if wanted is not None and model not in wanted:
            continue
        label = model._meta.label
        counts[label] = 0
        last_pk = None
        while True:
            queryset = _base_manager_queryset(model).order_by("pk")
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            # values_list with the column attnames avoids from_db_value: we get raw tokens.
            rows = list(queryset.values_list("pk", *[_raw(model, name) for name in names])[:batch_size])
            if not rows:
                break
            with transaction.atomic():
                for pk, *tokens in rows:
                    updates = {
                        name: models.Value(rotate_token(token))
                        for name, token in zip(names, tokens, strict=True)
                        if token
                    }
                    if updates:
                        _base_manager_queryset(model).filter(pk=pk).update(**updates)
                        counts[label] += 1
            last_pk = rows[-1][0]
    return counts


def _raw(model: type[models.Model], name: str):
    """An expression reading the column as plain text (so ``from_db_value`` is not applied)."""

    return Cast(name, output_field=models.TextField())
