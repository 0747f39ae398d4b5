"""What the catalog adds to a tenant's deletion (``apps.tenants.deletion``): its files.

The catalog's rows cascade with the tenant; the image files, their thumbnails and the import and
export job files stay in storage unless named here. Registered in ``CatalogConfig.ready``.
"""

from __future__ import annotations

from apps.catalog.models import CatalogJob, ProductImage


def list_tenant_files(tenant_id: int) -> list[str]:
    """Storage names of every file the catalog keeps for ``tenant_id``."""
    names: list[str] = []
    for image, thumbnails in ProductImage.objects.for_tenant(tenant_id).values_list("image", "thumbnails"):
        names.append(image)
        names.extend((thumbnails or {}).values())
    for source, result in CatalogJob.objects.for_tenant(tenant_id).values_list("source", "result"):
        names.extend([source, result])
    return [name for name in names if name]
