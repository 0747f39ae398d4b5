"""``manage.py load_demo``: the demo tenant, its users (one per role), products and traffic.

Idempotent: running it again refreshes the demo without duplicating it. Each app contributes
through its own ``demo`` module; this command only calls them in order and prints the logins.
"""

from django.core.management.base import BaseCommand

from apps.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo tenant with users for every role, products and sample traffic."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=200, help="How many demo products (default 200)")

    def handle(self, *args, **options):
        summary = load_demo(products=options["products"])
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for line in summary:
            self.stdout.write(line)
