"""The user model: email is the login (unique, case-insensitive), a UUID public id, a display name."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.core.crypto import EncryptedTextField

NAME_MAX_LENGTH = 150


def normalize_email_address(email: str) -> str:
    """Emails are compared case-insensitively: store them trimmed and lower-cased."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    """Creates users by email; there is no username."""

    use_in_migrations = True

    def filter_by_email(self, email: str):
        """Users whose email is ``email`` case-insensitively, on the ``Lower(email)`` unique index.

        (``email__iexact`` compiles to ``UPPER(email) = UPPER(...)``, which no index serves: at
        100,000 users that was a sequential scan on every login.)
        """
        return self.alias(email_ci=Lower("email")).filter(email_ci=normalize_email_address(email))

    def get_by_natural_key(self, email):
        return self.filter_by_email(email).get()

    def create_user(self, email: str, password: str | None = None, **extra):
        """Create a user with a normalised email and a hashed password (unusable if None)."""
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=normalize_email_address(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        """Create platform staff with every Django admin permission."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Tenant roles live in ``tenants.Membership``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", max_length=254, unique=True)
    # Personal data beyond the login email is encrypted at rest (apps.core.crypto); the length
    # limit (NAME_MAX_LENGTH) is enforced by services and forms on the plain text.
    name = EncryptedTextField("display name", blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("platform staff", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped by logout-all and password changes: access tokens carrying an older version are refused.
    token_version = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        self.email = normalize_email_address(self.email)

    def save(self, *args, **kwargs):
        self.email = normalize_email_address(self.email)
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
        """Django checks this hash on every request of a session: it covers the token version too,
        so logout-all (and a password change or erasure) also ends the user's browser sessions.
        The session that asked keeps going through ``update_session_auth_hash``. Version 0 gives
        Django's own hash, so sessions made before this rule stay valid."""
        if not self.token_version:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "apps.accounts.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.token_version}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()
