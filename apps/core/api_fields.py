"""Strict scalar serializer fields: JSON text must be a string and a boolean must be a boolean.

DRF's ``CharField`` turns ``0`` into ``"0"`` and its ``BooleanField`` takes ``"yes"`` or ``1``; the
schema promises ``type: string`` / ``type: boolean``, so the API's input serializers use these and
refuse other types with 400 ``validation_error`` (the contract test checks it).
"""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A ``CharField`` that accepts JSON strings only, and checks ``max_length`` on the text as sent.

    It does not trim: the services trim (and say so in their messages), and a ``maxLength`` in the
    schema then means what a client can count. DRF's default would accept 101 characters starting
    with a space where the schema says 100.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    """An ``EmailField`` that accepts JSON strings only."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A ``BooleanField`` that accepts ``true`` and ``false`` only."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class CredentialTextField(StrictCharField):
    """A credential the server issued and the client sends back as text (a refresh token, an MFA
    challenge or code): any JSON string up to ``max_length`` passes here, null characters included.

    Whether the text is a credential is the service's question, so a string the server never issued
    (malformed, truncated, with a null byte) gets the same 401 as an expired or revoked one; a mobile
    client then has one rule for every bad token (sign in again). Only a missing, empty, non-string or
    over-long value is a 400 ``validation_error``, as the schema states.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            validator for validator in self.validators if not isinstance(validator, ProhibitNullCharactersValidator)
        ]
