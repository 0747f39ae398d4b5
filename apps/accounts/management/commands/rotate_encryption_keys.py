"""``manage.py rotate_encryption_keys``: re-encrypt every EncryptedTextField with the current key."""

from django.core.management.base import BaseCommand

from apps.accounts.services import rotate_mfa_secrets
from apps.core.crypto import rotate_encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every EncryptedTextField of every model, and allauth's MFA secrets, with the first key of "
        "FIELD_ENCRYPTION_KEYS "
        "(the others must still be listed so old values can be read). Batched; safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            self.stderr.write("--batch-size must be at least 1")
            raise SystemExit(2)
        counts = rotate_encrypted_fields(batch_size=batch_size)
        counts["mfa.Authenticator (secrets)"] = rotate_mfa_secrets(batch_size=batch_size)
        for label, rows in counts.items():
            self.stdout.write(f"{label}: {rows} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(counts.values())} rows"))
