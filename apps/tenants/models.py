"""Tenants (a shop, an organisation), who belongs to them with which role, and invitations."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from apps.tenants.roles import Role
from apps.tenants.validation import normalise_domain, validate_domain


def validate_domain_field(value: str) -> None:
    """Model-field form of :func:`apps.tenants.validation.validate_domain`."""
    validate_domain(value)


INVITATION_LIFETIME = timedelta(days=7)


def logo_upload_to(instance: "Tenant", filename: str) -> str:
    """``tenants/<id>/logo/<random>.<ext>``: a new name per upload (served as immutable)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"tenants/{instance.pk}/logo/{uuid.uuid4().hex}.{ext}"


class Tenant(models.Model):
    """A shop or organisation. Its slug is its address: ``/s/<slug>/``, ``/a/<slug>/``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code, e.g. EUR")
    time_zone = models.CharField(max_length=64, default="UTC", help_text="IANA name, e.g. Europe/Paris")
    # Storefront theme (issue 13): colours checked for contrast with white text, served as a
    # stylesheet (the CSP allows no inline style); empty means Bazaar's own.
    brand_colour = models.CharField(max_length=7, blank=True, default="", help_text="#rrggbb: buttons, links")
    accent_colour = models.CharField(max_length=7, blank=True, default="", help_text="#rrggbb: the home banner")
    tagline = models.CharField(max_length=160, blank=True, default="", help_text="A line under the shop's name")
    # The storefront header's logo (``services.set_tenant_logo``: the image checks of
    # ``apps.core.images``; no SVG). Width and height are stored so the header reserves its box.
    # Not editable in the admin: an upload there would skip those checks.
    logo = models.ImageField(upload_to=logo_upload_to, blank=True, default="", max_length=255, editable=False)
    logo_width = models.PositiveIntegerField(default=0, editable=False)
    logo_height = models.PositiveIntegerField(default=0, editable=False)
    # Set by platform staff (admin action "suspend"): the storefront and API answer 503
    # ``tenant_suspended``; members still read the console, with the reason shown, and change nothing.
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True, default="", help_text="Shown to the shop's staff")
    # A host name of the shop's own (set by platform staff once its DNS points here): the site
    # serves the storefront at / on it (``apps.tenants.middleware.CustomDomainMiddleware``).
    domain = models.CharField(
        max_length=253,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_domain_field],
        help_text="The shop's own host, e.g. shop.example.com; add it to ALLOWED_HOSTS (docs/operations.md).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="tenants_tenant_name_idx")]  # the admin's order

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # Stored normalised, so uniqueness holds whatever the case or a trailing dot.
        self.domain = normalise_domain(self.domain) or None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class Membership(models.Model):
    """A user's role in a tenant; one per (user, tenant)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="tenants_membership_unique_pair")]
        indexes = [models.Index(fields=["tenant", "role"], name="tenants_membership_role_idx")]

    def __str__(self) -> str:
        """``kim@example.com is editor of harbour-shop`` (admin titles, its log, the audit trail)."""
        return f"{self.user.email} is {self.role} of {self.tenant.slug}"


def default_invitation_expiry():
    return timezone.now() + INVITATION_LIFETIME


class Invitation(models.Model):
    """An invitation to join a tenant with a role. Only a hash of the token is stored."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "email"], name="tenants_invitation_email_idx"),
            # Erasure deletes a person's invitations across tenants by email (case-insensitively).
            models.Index(Upper("email"), name="tenants_invitation_email_ci"),
        ]
        constraints = [
            # At most one open invitation per email and tenant.
            models.UniqueConstraint(
                fields=["tenant", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="tenants_invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.tenant.slug} as {self.role}"

    @property
    def status(self) -> str:
        """``accepted``, ``revoked``, ``expired`` or ``pending``."""
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AuditEntry(models.Model):
    """One recorded change to a tenant's membership or settings: who did what to whom.

    ``tenant`` is nullable (SET_NULL) so that the record of a tenant's deletion survives it;
    ``tenant_slug`` keeps the address it had. Actors and targets can be anonymised for GDPR
    erasure (``services.anonymise_audit_actor``) without losing the entry itself.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries")
    tenant_slug = models.CharField(max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=254, blank=True, help_text="What was acted on, e.g. an email or a slug")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="tenants_audit_tenant_idx"),
            models.Index(fields=["actor", "-created_at"], name="tenants_audit_actor_idx"),
            # Case-insensitive lookups of erasure (anonymise_audit_actor) and the admin's search.
            models.Index(Upper("actor_email"), name="tenants_audit_actor_email_ci"),
            models.Index(Upper("target"), name="tenants_audit_target_ci"),
            models.Index(Upper("tenant_slug"), name="tenants_audit_slug_ci"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} in {self.tenant_slug} by {self.actor_email or 'someone'}"


class RetiredSlug(models.Model):
    """The address of a deleted tenant, kept so nobody else can claim it: old links, bookmarks and
    search results must never lead to a stranger's shop. Written by ``deletion.purge_tenant``."""

    slug = models.SlugField(max_length=50, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug
