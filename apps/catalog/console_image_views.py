"""The console's image ordering and alt text: ``/a/<slug>/catalog/products/<pk>/images/...``.
Arrows (``move``) work without JavaScript; drag and drop (``static/js/catalog_console.js``) posts
the whole order to ``order``. ``catalog.edit`` only; every write goes through ``images``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.catalog import images, selectors
from apps.catalog.models import Product, ProductImage
from apps.core.errors import ApplicationError
from apps.tenants.access import tenant_view

EDIT_ONLY = {"POST": "catalog.edit"}


def _back(tenant, product) -> str:
    return reverse("catalog-console:product-edit", args=[tenant.slug, product.pk]) + "#images-h"


def _image_or_404(tenant, pk: int, image_id: int) -> tuple[Product, ProductImage]:
    try:
        product = selectors.get_product(tenant=tenant, product_id=pk)
    except Product.DoesNotExist:
        raise Http404("No such product") from None
    image = ProductImage.objects.for_tenant(tenant).filter(product=product, pk=image_id).first()
    if image is None:
        raise Http404("No such image")
    return product, image


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def image_move(request, tenant_slug: str, pk: int, image_id: int):
    """Move an image one place earlier (``direction=up``) or later (``down``)."""
    product, image = _image_or_404(request.tenant, pk, image_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, "Choose up or down.")
    else:
        images.move_product_image(tenant=request.tenant, image=image, offset=offset)
        messages.success(request, "Image order saved.")
    return redirect(_back(request.tenant, product))


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def image_order(request, tenant_slug: str, pk: int):
    """Set the whole order (``order=3,1,2``): 204 for the drag-and-drop script, a redirect for a form."""
    try:
        product = selectors.get_product(tenant=request.tenant, product_id=pk)
    except Product.DoesNotExist:
        raise Http404("No such product") from None
    raw = request.POST.get("order", "")
    ids = [int(part) for part in raw.split(",") if part.strip().isdecimal()]
    try:
        images.set_image_order(tenant=request.tenant, product=product, image_ids=ids)
    except ApplicationError as exc:
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(exc.message, status=400, content_type="text/plain")
        messages.error(request, exc.message)
        return redirect(_back(request.tenant, product))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    messages.success(request, "Image order saved.")
    return redirect(_back(request.tenant, product))


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def image_alt(request, tenant_slug: str, pk: int, image_id: int):
    """Change an image's alt text."""
    product, image = _image_or_404(request.tenant, pk, image_id)
    try:
        images.update_image_alt(tenant=request.tenant, image=image, alt=request.POST.get("alt", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Alt text saved.")
    return redirect(_back(request.tenant, product))
