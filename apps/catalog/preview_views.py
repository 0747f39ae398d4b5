"""Draft preview for staff (issue 13): ``/a/<slug>/catalog/products/<pk>/preview`` shows any of
the shop's products (draft, archived or published) as its storefront page would, to members whose
role can see the product in the console (``catalog.view``), with a "Preview — not published"
banner. It lives under the console prefix, so membership is checked like every console page
(another shop's member or an unknown product: 404; signed out: the login page; the isolation
matrix walks it), it is ``noindex`` and ``Cache-Control: private, no-store``, and it never goes
through the page or fragment caches: the public ``/s/<slug>/p/<slug>/`` still answers 404 for a
draft, to everyone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from apps.catalog import selectors
from apps.catalog.storefront_views import product_context
from apps.core.errors import NotFound
from apps.tenants.access import tenant_view


@tenant_view(permissions={"GET": "catalog.view"})
def product_preview(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The storefront page of product ``pk`` whatever its status, for the shop's staff."""
    tenant = request.tenant
    try:
        product = selectors.access_product(tenant=tenant, product_id=pk)
    except NotFound:
        raise Http404("No such product") from None
    item = selectors.product_detail(tenant, product)
    context = product_context(request, tenant, item)
    preview_url = reverse("catalog-console:product-preview", args=[tenant.slug, product.pk])
    context.update(
        preview=True,
        preview_url=preview_url,
        status_label=product.get_status_display(),
        edit_url=reverse("catalog-console:product-edit", args=[tenant.slug, product.pk]),
    )
    context["product_html"] = mark_safe(render_to_string("catalog/storefront/_product.html", context))  # noqa: S308
    response = render(request, "catalog/storefront/product.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
