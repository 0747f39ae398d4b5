"""Seeded users for ``manage.py seed_platform``: verified emails, one real Argon2 hash reused.

Seeded users are recognisable by their address alone (``user000042@seed.bazaar.invalid``; the
``.invalid`` top-level domain can never be a real person's), so ``delete_seed_users`` removes
exactly what the seed made. Names are encrypted like every other display name.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.accounts.models import User
from apps.core.bulk import analyze_tables, copy_rows, require_postgres, reserve_ids
from apps.core.crypto import encrypt_text

SEED_EMAIL_DOMAIN = "seed.bazaar.invalid"
SEED_PASSWORD = "seed-platform-password"  # noqa: S105 - documented password of generated bench users
FIRST_NAMES = ["Ada", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars"]
LAST_NAMES = ["Okafor", "Schmidt", "Moreau", "Rossi", "Nakamura", "Silva", "Novak", "Larsen", "Haddad", "Kim"]
USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "public_id",
    "email",
    "name",
    "is_active",
    "is_staff",
    "date_joined",
    "token_version",
]


def seed_user_email(index: int) -> str:
    """The address of seeded user number ``index`` (0-based)."""
    return f"user{index:06d}@{SEED_EMAIL_DOMAIN}"


def count_seed_users() -> int:
    """How many seeded users exist."""
    return User.objects.filter(email__endswith="@" + SEED_EMAIL_DOMAIN).count()


def insert_seed_users(*, count: int, rng: random.Random) -> list[tuple[int, str]]:
    """COPY ``count`` active users with verified primary emails; returns ``[(id, email)]`` by index.

    Every user has the same real Argon2 hash of :data:`SEED_PASSWORD` (one hash computed, not
    100,000), so logging in costs what it costs in production.
    """
    require_postgres("Seeding users")
    password_hash = make_password(SEED_PASSWORD)
    ids = reserve_ids(User._meta.db_table, count)
    now = timezone.now()
    users = [(user_id, seed_user_email(index)) for index, user_id in enumerate(ids)]

    def user_rows():
        for user_id, email in users:
            joined = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            named = rng.random() < 0.7
            name = encrypt_text(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}") if named else ""
            last_login = joined + timedelta(days=rng.randint(0, 30)) if rng.random() < 0.6 else None
            yield (user_id, password_hash, last_login, False, uuid.uuid4(), email, name, True, False, joined, 0)

    copy_rows(User._meta.db_table, USER_COLUMNS, user_rows())
    copy_rows(
        EmailAddress._meta.db_table,
        ["user_id", "email", "verified", "primary"],
        ((user_id, email, True, True) for user_id, email in users),
    )
    analyze_tables(User._meta.db_table, EmailAddress._meta.db_table)
    return users


def delete_seed_users() -> int:
    """Delete every seeded user (and, through Django's cascade, what hangs off them)."""
    # Only the key is loaded: the cascade needs no names decrypted (and works under any key).
    seeded = User.objects.filter(email__endswith="@" + SEED_EMAIL_DOMAIN).only("pk")
    count = seeded.count()
    EmailAddress.objects.filter(user__in=seeded).delete()
    seeded.delete()
    return count
