"""Tenant-scoped URL names that are public on purpose, each with its reason.

The isolation matrix (tests/tenants/test_isolation_matrix.py) requires every view under
``/api/v1/t/<tenant_slug>/`` and ``/a/<tenant_slug>/`` to check membership, except those listed
here. Add a view here only with a reason a reviewer would accept.
"""

PUBLIC_TENANT_VIEWS: dict[str, str] = {
    # "url-name": "why it is public",
    "analytics-api:events": "analytics ingest: authenticated by the tenant's write-only ingest key, not membership",
}
