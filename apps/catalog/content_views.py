"""Content pages: the console's list and editor (``/a/<slug>/catalog/pages/``) and the
storefront page (``/s/<slug>/pages/<kind>/``). Thin: parse, call ``content_pages``, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.catalog import cache as catalog_cache
from apps.catalog import content_pages
from apps.catalog.forms import apply_service_errors
from apps.catalog.storefront_views import cacheable_response
from apps.core.errors import ApplicationError, NotFound
from apps.tenants.access import get_public_tenant, tenant_view
from apps.tenants.public_urls import storefront_url

EDIT_PAGE = {"GET": "catalog.edit", "POST": "catalog.edit"}


class ContentPageForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=content_pages.MAX_BODY + 1000,
        help_text="Plain text; leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    published = forms.BooleanField(label="Published (linked from the storefront's footer)", required=False)


@tenant_view(permissions=EDIT_PAGE)
def page_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The shop's content pages, written or not."""
    tenant = request.tenant
    pages = content_pages.list_content_pages(tenant=tenant)
    return render(request, "catalog/console/content_pages.html", {"tenant": tenant, "pages": pages})


@tenant_view(permissions=EDIT_PAGE)
def page_edit(request: HttpRequest, tenant_slug: str, kind: str) -> HttpResponse:
    """Write or change one content page (PRG; input kept on error)."""
    tenant = request.tenant
    try:
        page = content_pages.get_content_page(tenant=tenant, kind=kind)
    except NotFound:
        raise Http404("No such page") from None
    initial = {"title": page.title, "body": page.body, "published": page.published} if page else {}
    initial.setdefault("title", content_pages.PAGE_KINDS[kind])
    form = ContentPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            content_pages.save_content_page(tenant=tenant, kind=kind, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Page saved.")
            return redirect(reverse("catalog-console:pages", args=[tenant.slug]))
    status = 400 if request.method == "POST" else 200
    context = {"tenant": tenant, "form": form, "kind": kind, "page": page}
    return render(request, "catalog/console/content_page_form.html", context, status=status)


@require_GET
def storefront_page(request: HttpRequest, tenant_slug: str, kind: str) -> HttpResponse:
    """A published content page of the shop; 404 otherwise."""
    tenant = get_public_tenant(slug=tenant_slug)
    page = content_pages.get_published_page(tenant=tenant, kind=kind)
    if page is None:
        raise Http404("No such page")
    canonical = storefront_url(request, tenant, reverse("storefront:page", args=[tenant.slug, kind]))
    context = {"tenant": tenant, "page": page, "canonical": canonical}
    response = render(request, "catalog/storefront/content_page.html", context)
    return cacheable_response(response, tenant, catalog_cache.TTL_STRUCTURE)
