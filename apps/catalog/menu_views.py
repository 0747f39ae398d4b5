"""The console's menu editor (``/a/<slug>/catalog/menus/``): add a link, move it, remove it
(PRG; a refused link keeps what was typed and says why beside the field). Thin: ``menus``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.catalog import menus
from apps.catalog.content_pages import PAGE_KINDS
from apps.catalog.forms import apply_service_errors
from apps.catalog.models import MenuItem
from apps.catalog.selectors import list_categories
from apps.core.errors import ApplicationError, NotFound
from apps.tenants.access import tenant_view

EDIT_PAGE = {"GET": "catalog.edit", "POST": "catalog.edit"}


class MenuItemForm(forms.Form):
    menu = forms.ChoiceField(label="Menu", choices=MenuItem.Menu.choices)
    label = forms.CharField(label="Link text", max_length=200)
    kind = forms.ChoiceField(label="Links to", choices=MenuItem.Kind.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label="Category", required=False)
    page_kind = forms.ChoiceField(label="Page", required=False, choices=[("", "—"), *PAGE_KINDS.items()])
    path = forms.CharField(
        label="Address on this shop",
        required=False,
        max_length=400,
        help_text="A page of this shop, e.g. c/tables/ or search?q=oak (links to other sites are refused).",
    )
    parent = forms.ChoiceField(
        label="Inside the dropdown of",
        required=False,
        help_text="Header only: leave empty for a top-level link. Dropdowns are one level deep.",
    )

    def __init__(self, *args, categories=(), parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.pk, "— " * c.depth + c.name) for c in categories]
        self.fields["parent"].choices = [("", "(top level)")] + [(p.pk, p.label) for p in parents]


def _menus_url(tenant) -> str:
    return reverse("catalog-console:menus", args=[tenant.slug])


@tenant_view(permissions=EDIT_PAGE)
def menu_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Both menus with their links, and the form that adds one."""
    tenant = request.tenant
    header = menus.list_menu_items(tenant=tenant, menu=MenuItem.Menu.HEADER)
    footer = menus.list_menu_items(tenant=tenant, menu=MenuItem.Menu.FOOTER)
    form = MenuItemForm(
        request.POST or None,
        initial={"kind": MenuItem.Kind.CATEGORY},
        categories=list_categories(tenant=tenant),
        parents=header,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            menus.add_menu_item(
                tenant=tenant,
                menu=data["menu"],
                label=data["label"],
                kind=data["kind"],
                category_id=data["category"],
                page_kind=data["page_kind"],
                path=data["path"],
                parent_id=data["parent"] or None,
            )
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Link added.")
            return redirect(_menus_url(tenant))
    status = 400 if request.method == "POST" else 200
    context = {"tenant": tenant, "form": form, "menus": [("Header", header), ("Footer", footer)]}
    return render(request, "catalog/console/menus.html", context, status=status)


@tenant_view(permissions={"POST": "catalog.edit"})
def menu_item_move(request: HttpRequest, tenant_slug: str, item_id: int) -> HttpResponse:
    """Move a link up or down among its neighbours (``direction`` up|down)."""
    try:
        menus.move_menu_item(
            tenant=request.tenant, item_id=item_id, offset=-1 if request.POST.get("direction") == "up" else 1
        )
    except NotFound:
        raise Http404("No such link") from None
    return redirect(_menus_url(request.tenant))


@tenant_view(permissions={"POST": "catalog.edit"})
def menu_item_delete(request: HttpRequest, tenant_slug: str, item_id: int) -> HttpResponse:
    """Remove a link (a dropdown's links go with it)."""
    try:
        menus.delete_menu_item(tenant=request.tenant, item_id=item_id)
    except NotFound:
        raise Http404("No such link") from None
    messages.success(request, "Link removed.")
    return redirect(_menus_url(request.tenant))
