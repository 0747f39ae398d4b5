"""Celery tasks of the tenants app: take ids, call a service, safe to retry."""

from __future__ import annotations

from celery import shared_task

from apps.tenants.emails import send_invitation


@shared_task(name="tenants.send_invitation_email")
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """Email the invitation link. Does nothing (returns False) if the invitation is no longer pending,
    so a retry after revocation or acceptance sends nothing."""
    return send_invitation(invitation_id=invitation_id, token=token)
