"""Our allauth adapters: mail goes through Celery; password changes revoke tokens; MFA secrets
are encrypted at rest."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.utils.html import strip_tags

from apps.accounts import services
from apps.core.crypto import decrypt_text, encrypt_text
from apps.core.outbox import enqueue_task


class AccountAdapter(DefaultAccountAdapter):
    """Set as ``ACCOUNT_ADAPTER``."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message here (it needs the request) and enqueue its delivery."""
        request = self.request
        ctx = {"request": request, "email": email, "site_url": settings.SITE_URL}
        if request is not None:
            ctx["current_site"] = get_current_site(request)
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        body, html = message.body, None
        if isinstance(message, EmailMultiAlternatives):
            html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), None)
        elif message.content_subtype == "html":
            body, html = strip_tags(message.body), message.body
        enqueue_task(
            "accounts.send_email",
            subject=message.subject,
            body=body,
            from_email=message.from_email,
            to=list(message.to),
            html=html,
            headers=dict(message.extra_headers or {}),
        )

    def unstash_verified_email(self, request):
        """An address proven elsewhere (an invitation link opened from that mailbox) counts as verified
        only for a sign-up with that same address; allauth would otherwise attach it to any new account."""
        email = super().unstash_verified_email(request)
        typed = (request.POST.get("email") or "").strip().lower() if request is not None else ""
        return email if email and email.lower() == typed else None

    def format_email_subject(self, subject: str) -> str:
        """Subjects read "[Bazaar] ..." whatever the Sites framework's placeholder domain says."""
        return f"[Bazaar] {subject}"

    def set_password(self, user, password: str) -> None:
        """Password change and reset (allauth calls this for both): set it and revoke every token."""
        services.change_password(user=user, password=password)


class MFAAdapter(DefaultMFAAdapter):
    """Set as ``MFA_ADAPTER``: TOTP secrets and recovery-code seeds are encrypted at rest with the
    field-encryption keys (``apps.core.crypto``); ``rotate_encryption_keys`` re-encrypts them."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
