"""``manage.py relay_outbox``: publish the outbox rows the broker missed (what beat does every 15 s)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from apps.core.outbox import count_pending, relay_pending


class Command(BaseCommand):
    help = "Publish pending outbox rows to the broker (after a broker outage); prints what is left."

    def handle(self, *args, **options):
        sent = relay_pending(grace=timedelta(0))
        self.stdout.write(f"published {sent}; pending {count_pending()}")
