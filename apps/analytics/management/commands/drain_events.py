"""``manage.py drain_events``: a long-running drainer of the analytics ingest stream."""

import socket
import time

from django.core.management.base import BaseCommand

from apps.analytics import buffer


class Command(BaseCommand):
    help = "Drain buffered analytics events from the Redis stream into the event store (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--consumer", default=f"{socket.gethostname()}-cli", help="Consumer name in the group")
        parser.add_argument("--batch", type=int, default=500, help="Stream entries per read")
        parser.add_argument("--once", action="store_true", help="Drain what is there, then exit")
        parser.add_argument("--idle", type=float, default=0.2, help="Seconds to sleep when the stream is empty")

    def handle(self, *args, consumer, batch, once, idle, **options):
        total = 0
        while True:
            result = buffer.drain(consumer=consumer, count=batch)
            total += result.inserted
            if once:
                self.stdout.write(f"stored {total} events ({result.reclaimed} reclaimed)")
                return
            if not result.read:
                time.sleep(idle)
