"""Showing a service's error on a Django form: the one way pages report field errors.

Services raise :class:`apps.core.errors.ApplicationError` (field errors as :class:`Invalid`, whose
``details`` map a field -- or ``non_field_errors`` -- to messages; nested for list items such as
``variants[0]``). :func:`apply_errors` puts each message beside its field, and what belongs to no
field of the form at the top of it.
"""

from __future__ import annotations

from django import forms

from apps.core.errors import ApplicationError


def apply_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Show ``exc`` on ``form``: detail messages beside the matching fields, unknown keys (named)
    and errors without details as non-field errors."""
    if not exc.details:
        form.add_error(None, exc.message)
        return
    for key, messages in exc.details.items():
        if isinstance(messages, dict):  # nested (variants[0] -> {field: [...]})
            for inner, inner_messages in messages.items():
                _add(form, inner, inner_messages)
            continue
        _add(form, key, messages)


def error_messages(exc: ApplicationError) -> list[str]:
    """Every message of ``exc`` as plain text (a flash message after a redirect)."""
    if not exc.details:
        return [exc.message]
    found: list[str] = []
    for messages in exc.details.values():
        if isinstance(messages, dict):
            found.extend(str(m) for inner in messages.values() for m in _as_list(inner))
        else:
            found.extend(str(m) for m in _as_list(messages))
    return found or [exc.message]


def _as_list(messages) -> list:
    return messages if isinstance(messages, list) else [messages]


def _add(form: forms.Form, key: str, messages) -> None:
    target = key if key in form.fields else None
    for message in _as_list(messages):
        if target is None and key != "non_field_errors":
            form.add_error(None, f"{key}: {message}")
        else:
            form.add_error(target, str(message))
