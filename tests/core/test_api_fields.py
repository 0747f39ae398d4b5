"""Strict scalar fields: the API refuses a number where the schema says text, and 'yes' for a boolean."""

import pytest
from rest_framework import serializers

from apps.core.api_fields import StrictBooleanField, StrictCharField, StrictEmailField


class Shape(serializers.Serializer):
    name = StrictCharField(required=False)
    email = StrictEmailField(required=False)
    flag = StrictBooleanField(required=False)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": 0}, "name"), ({"name": True}, "name"), ({"email": 5}, "email"), ({"flag": "yes"}, "flag")],
)
def test_other_types_are_refused(data, field):
    shape = Shape(data=data)
    assert not shape.is_valid()
    assert list(shape.errors) == [field]


def test_the_right_types_pass():
    shape = Shape(data={"name": " Ada ", "email": "ada@example.com", "flag": False})
    assert shape.is_valid(), shape.errors
    # Text is kept as sent (the services trim, with their own messages), so maxLength counts what the client sent.
    assert shape.validated_data == {"name": " Ada ", "email": "ada@example.com", "flag": False}


def test_max_length_counts_the_text_as_sent():
    class Short(serializers.Serializer):
        name = StrictCharField(max_length=3)

    assert Short(data={"name": "Ada"}).is_valid()
    assert not Short(data={"name": " Ada"}).is_valid()


@pytest.mark.django_db
def test_the_api_refuses_a_number_for_a_name(client, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.patch("/api/v1/me", {"name": 42}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["details"]) == ["name"]
