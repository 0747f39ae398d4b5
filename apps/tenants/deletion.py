"""The one way a tenant is deleted, whatever asked for it (the API, the console, the erasure of a
shop or of its only member).

Rows that reference the tenant by foreign key cascade with it. What the database cannot cascade
belongs to apps above this one (raw analytics events live in an unmanaged table; images, job and
export files live in storage), so those apps register a hook here at start-up
(``register_tenant_deletion_hook`` in their ``AppConfig.ready``) instead of this app importing
them. A hook gets the tenant id inside the deletion's transaction, deletes what it must, and
returns the storage names of its files; the files are removed only after the transaction commits,
so a rollback never leaves rows pointing at deleted files. The slug is retired (``RetiredSlug``)
in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.files.storage import default_storage
from django.db import transaction

from apps.tenants.models import RetiredSlug, Tenant

logger = logging.getLogger("bazaar.tenants")

TenantDeletionHook = Callable[[int], Iterable[str]]
_hooks: list[TenantDeletionHook] = []


def register_tenant_deletion_hook(hook: TenantDeletionHook) -> None:
    """Run ``hook(tenant_id) -> file names`` whenever a tenant is deleted (idempotent per hook)."""
    if hook not in _hooks:
        _hooks.append(hook)


def registered_hooks() -> tuple[TenantDeletionHook, ...]:
    """The hooks in registration order (for tests and diagnostics)."""
    return tuple(_hooks)


def delete_files(names: Iterable[str]) -> int:
    """Remove storage files by name; a missing file is fine, a failure is logged. Returns removed."""
    removed = 0
    for name in sorted(set(filter(None, names))):
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
                removed += 1
        except OSError:
            logger.exception("could not delete a deleted tenant's file", extra={"file": name})
    return removed


@transaction.atomic
def purge_tenant(*, tenant: Tenant) -> None:
    """Delete ``tenant`` with everything it owns: rows now, files after commit; retire its slug.

    Callers check permissions and write the audit entry first (``services.delete_tenant``,
    ``services.remove_user_from_tenants``).
    """
    files: list[str] = [tenant.logo.name] if tenant.logo else []
    for hook in _hooks:
        files.extend(hook(tenant.pk))
    RetiredSlug.objects.get_or_create(slug=tenant.slug)
    tenant.delete()
    transaction.on_commit(lambda: delete_files(files))


def is_slug_retired(slug: str) -> bool:
    """Whether ``slug`` belonged to a deleted tenant (and so stays reserved)."""
    return RetiredSlug.objects.filter(slug=slug).exists()
