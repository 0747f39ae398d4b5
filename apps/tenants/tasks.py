"""Celery tasks of the tenants app: take ids, call a service, safe to retry."""

from __future__ import annotations

from celery import shared_task

from apps.tenants import services
from apps.tenants.emails import send_invitation


@shared_task(name="tenants.send_invitation_email")
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """Email the invitation link. Does nothing (returns False) if the invitation is no longer pending,
    so a retry after revocation or acceptance sends nothing."""
    return send_invitation(invitation_id=invitation_id, token=token)


@shared_task(name="tenants.purge_closed_invitations")
def purge_closed_invitations(days: int = 30) -> int:
    """Daily: delete invitations closed more than ``days`` ago (idempotent)."""
    return services.purge_closed_invitations(older_than_days=days)
