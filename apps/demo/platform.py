"""``seed_platform``: a whole platform at scale (users, tenants, members, invitations, audit,
products) built set-based through each app's ``seed`` module, for the platform benchmark.

Each app writes its own tables (accounts: users and emails; tenants: tenants, memberships,
invitations, audit; catalog: products) and recognises its own seeded rows, so ``clear_platform``
removes exactly what the seed made and nothing else. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from django.db import transaction

from apps.accounts import seed as account_seed
from apps.catalog.seed import delete_catalogs, seed_catalog
from apps.core.errors import ApplicationError, ErrorCode
from apps.tenants import seed as tenant_seed

PRODUCTS_IN_LARGEST = 1000  # tenant 0 (the benchmark's "large tenant") gets up to this many
PRODUCTS_PER_OTHER = 100


@dataclass
class PlatformSize:
    """How big a platform to build."""

    users: int
    tenants: int
    products: int = 3000
    power_users: int = 20
    power_tenants: int = 300
    seed: int = 42

    def validate(self) -> None:
        """Raise ``ApplicationError`` (validation_error) for sizes the seed cannot build."""
        errors = {}
        if not 1 <= self.tenants <= 1_000_000:
            errors["tenants"] = ["Between 1 and 1,000,000."]
        if not self.power_users < self.users <= 10_000_000:
            errors["users"] = ["More than --power-users, at most 10,000,000."]
        if self.products < 0 or self.power_users < 0 or self.power_tenants < 1:
            errors["products"] = ["--products and --power-users must be 0 or more, --power-tenants at least 1."]
        if errors:
            raise ApplicationError("Invalid platform size.", code=ErrorCode.VALIDATION_ERROR, details=errors)


@dataclass
class SeedReport:
    """What ``seed_platform`` did: row counts and seconds per step."""

    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _product_plan(size: PlatformSize) -> list[tuple[int, int]]:
    """(tenant index, products) pairs: tenant 0 first, then 100 per tenant until the total is spent."""
    plan, left, index = [], size.products, 0
    while left > 0 and index < size.tenants:
        count = min(left, PRODUCTS_IN_LARGEST if index == 0 else PRODUCTS_PER_OTHER)
        plan.append((index, count))
        left -= count
        index += 1
    return plan


def seed_platform(*, size: PlatformSize, reset: bool = False) -> SeedReport:
    """Build the platform of ``size`` unless it is already there (idempotent).

    An existing seed of another size is refused (409 ``conflict``) unless ``reset`` clears it
    first. All in one transaction: a failure halfway leaves nothing written.
    """
    size.validate()
    report = SeedReport(created=False)
    started = time.perf_counter()
    if reset:
        report.counts.update({f"cleared_{k}": v for k, v in clear_platform().items()})
        report.seconds["clear"] = time.perf_counter() - started
    have_users, have_tenants = account_seed.count_seed_users(), tenant_seed.count_seed_tenants()
    if (have_users, have_tenants) == (size.users, size.tenants):
        report.counts.update(users=have_users, tenants=have_tenants)
        return report
    if have_users or have_tenants:
        raise ApplicationError(
            f"A platform of {have_users} users and {have_tenants} tenants is already seeded; pass --reset to rebuild.",
            code=ErrorCode.CONFLICT,
            status=409,
            details={"users": have_users, "tenants": have_tenants},
        )
    rng = random.Random(size.seed)
    with transaction.atomic():
        step = time.perf_counter()
        users = account_seed.insert_seed_users(count=size.users, rng=rng)
        report.seconds["users"] = time.perf_counter() - step
        step = time.perf_counter()
        report.counts.update(
            tenant_seed.insert_seed_tenants(
                users=users,
                count=size.tenants,
                rng=rng,
                power_users=size.power_users,
                power_tenants=size.power_tenants,
            )
        )
        report.seconds["tenants"] = time.perf_counter() - step
        step = time.perf_counter()
        tenants = {t.slug: t for t in tenant_seed.seeded_tenants()[: len(_product_plan(size))]}
        products = 0
        for index, count in _product_plan(size):
            products += seed_catalog(
                tenant=tenants[tenant_seed.seed_slug(index)], products=count, seed=size.seed + index
            )["products"]
        report.seconds["products"] = time.perf_counter() - step
    report.created = True
    report.counts.update(users=len(users), products=products)
    report.seconds["total"] = time.perf_counter() - started
    return report


def clear_platform() -> dict[str, int]:
    """Delete what ``seed_platform`` made (seeded tenants with their rows, then seeded users)."""
    with transaction.atomic():
        delete_catalogs(tenant_ids=tenant_seed.list_seed_tenant_ids())
        tenants = tenant_seed.delete_seed_tenants()
        users = account_seed.delete_seed_users()
    return {"tenants": tenants, "users": users}
