"""The invitation email."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from apps.tenants.models import Invitation


def invitation_url(token: str) -> str:
    """The absolute URL of the invitation page for ``token``."""
    return settings.SITE_URL.rstrip("/") + reverse("tenants:invitation", kwargs={"token": token})


def send_invitation(*, invitation_id: int, token: str) -> bool:
    """Send the invitation email if the invitation is still pending; True if sent."""
    invitation = Invitation.objects.select_related("tenant", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != "pending":
        return False
    context = {
        "invitation": invitation,
        "tenant": invitation.tenant,
        "inviter": invitation.invited_by,
        "url": invitation_url(token),
    }
    subject = f"You are invited to join {invitation.tenant.name} on Bazaar"
    body = render_to_string("tenants/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True
