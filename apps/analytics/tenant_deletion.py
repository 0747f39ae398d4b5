"""What analytics adds to a tenant's deletion (``apps.tenants.deletion``): the raw events (an
unmanaged, partitioned table without a foreign key, so nothing cascades into it) and the CSV export
files. The other analytics rows cascade with the tenant. Registered in ``AnalyticsConfig.ready``.
"""

from __future__ import annotations

from apps.analytics import event_store
from apps.analytics.models import ReportExport


def purge_tenant_analytics(tenant_id: int) -> list[str]:
    """Delete the tenant's raw events; return the storage names of its export files."""
    event_store.delete_tenant_events(tenant_id=tenant_id)
    return [name for name in ReportExport.objects.for_tenant(tenant_id).values_list("file_name", flat=True) if name]
