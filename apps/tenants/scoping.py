"""Fail-closed tenant scoping for tenant-owned rows.

Every tenant-owned model inherits :class:`TenantOwnedModel`. Its default manager returns a
queryset that refuses to run until it has been narrowed to one tenant::

    Product.objects.for_tenant(tenant).filter(status="published")   # fine
    Product.objects.filter(status="published").count()               # raises UnscopedQueryError

Querysets reached through an instance that was itself loaded (``product.variants.all()``, and
``prefetch_related`` from scoped rows) are scoped by that instance and allowed. Platform code that
really must cross tenants (the Django admin, retention jobs) says so with ``all_tenants()``.

Django's own model validation (``full_clean``: unique fields and ``UniqueConstraint``s, as run by
ModelForms and the admin) queries the default manager for rows clashing with the one being
validated; those lookups are allowed while that validation runs.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db import models

# True while Django validates a tenant-owned instance's uniqueness (see TenantOwnedModel).
_validating_instance: ContextVar[bool] = ContextVar("tenant_validating_instance", default=False)


class UnscopedQueryError(RuntimeError):
    """A tenant-owned model was queried without naming a tenant."""


class TenantScopedQuerySet(models.QuerySet):
    """A queryset that must be scoped with ``for_tenant()`` (or ``all_tenants()``) before it runs."""

    _tenant_scoped = False

    def for_tenant(self, tenant) -> TenantScopedQuerySet:
        """Rows of ``tenant`` (a Tenant or its id) only."""
        if tenant is None:
            raise UnscopedQueryError(f"{self.model.__name__}.for_tenant() needs a tenant, got None")
        tenant_id = getattr(tenant, "pk", tenant)
        clone = self.filter(tenant_id=tenant_id)
        clone._tenant_scoped = True
        return clone

    def all_tenants(self) -> TenantScopedQuerySet:
        """Deliberately cross tenants (platform admin, retention). Use sparingly and say why."""
        clone = self._chain()
        clone._tenant_scoped = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._tenant_scoped = self._tenant_scoped
        return clone

    def _is_scoped(self) -> bool:
        # Related managers and prefetches carry the parent instance as a hint: scoped through it.
        return self._tenant_scoped or self._hints.get("instance") is not None or _validating_instance.get()

    def _check_scoped(self) -> None:
        if not self._is_scoped():
            raise UnscopedQueryError(
                f"Query on tenant-owned {self.model.__name__} without a tenant: use .for_tenant(tenant)"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scoped()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check_scoped()
        return super().iterator(*args, **kwargs)

    def count(self):
        self._check_scoped()
        return super().count()

    def exists(self):
        self._check_scoped()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scoped()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scoped()
        return super().update(**kwargs)

    def delete(self):
        self._check_scoped()
        return super().delete()

    def in_bulk(self, *args, **kwargs):
        self._check_scoped()
        return super().in_bulk(*args, **kwargs)

    def explain(self, *args, **kwargs):
        self._check_scoped()
        return super().explain(*args, **kwargs)


class TenantScopedManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    """Default manager of tenant-owned models (see module docstring)."""


class TenantOwnedModel(models.Model):
    """Abstract base for rows that belong to one tenant: an indexed ``tenant`` foreign key and a
    fail-closed default manager. Composite indexes in subclasses lead with ``tenant``."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+", db_index=True)

    objects = TenantScopedManager()

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        """Django's constraint checks look for rows clashing with this one; let them query."""
        token = _validating_instance.set(True)
        try:
            super().validate_constraints(exclude=exclude)
        finally:
            _validating_instance.reset(token)

    def _perform_unique_checks(self, unique_checks):
        token = _validating_instance.set(True)
        try:
            return super()._perform_unique_checks(unique_checks)
        finally:
            _validating_instance.reset(token)
