"""Celery tasks of the accounts app."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(name="accounts.send_email")
def send_email(
    *, subject: str, body: str, from_email: str, to: list[str], html: str | None = None, headers: dict | None = None
) -> int:
    """Send one rendered account email (verification, password reset, notices).

    allauth renders the message in the request (it needs the request for links); the task only
    delivers it, so it takes the rendered parts rather than ids. Retried with backoff on transient
    errors by ``BazaarTask``; a retry may send a duplicate, which is acceptable for these mails.
    """
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or None)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
