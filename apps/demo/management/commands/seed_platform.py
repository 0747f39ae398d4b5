"""``manage.py seed_platform --users 100000 --tenants 10000 [--products 3000] [--reset | --clear]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.demo.platform import PlatformSize, clear_platform, seed_platform


class Command(BaseCommand):
    help = (
        "Build a platform at scale (users with verified emails, tenants with members in every role, "
        "invitations, audit entries, products). Idempotent; --reset rebuilds, --clear removes only what it made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100_000)
        parser.add_argument("--tenants", type=int, default=10_000)
        parser.add_argument("--products", type=int, default=3000, help="spread over the first tenants")
        parser.add_argument("--power-users", type=int, default=20, help="users who belong to many tenants")
        parser.add_argument("--power-tenants", type=int, default=300, help="how many tenants each power user is in")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--reset", action="store_true", help="remove what an earlier run made, then seed")
        parser.add_argument("--clear", action="store_true", help="only remove what an earlier run made")

    def handle(self, *args, **options):
        try:
            if options["clear"]:
                counts = clear_platform()
                self.stdout.write(f"cleared {counts['users']} seeded users and {counts['tenants']} seeded tenants")
                return
            size = PlatformSize(
                users=options["users"],
                tenants=options["tenants"],
                products=options["products"],
                power_users=options["power_users"],
                power_tenants=options["power_tenants"],
                seed=options["seed"],
            )
            report = seed_platform(size=size, reset=options["reset"])
        except ApplicationError as exc:
            detail = "; ".join(
                f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in exc.details.items()
            )
            raise CommandError(f"{exc.message} {detail}".strip()) from None
        counts = ", ".join(f"{value} {name}" for name, value in report.counts.items())
        if not report.created:
            self.stdout.write(f"already seeded, nothing to do ({counts})")
            return
        timings = ", ".join(f"{name} {value:.1f} s" for name, value in report.seconds.items())
        self.stdout.write(f"seeded {counts} in {timings}")
