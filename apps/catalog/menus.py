"""A shop's storefront menus (issue 13): the header's (top-level links, each with an optional
dropdown one level deep) and the footer's, written by editors in the console
(``/a/<slug>/catalog/menus/``). Each link points at a category, a content page or a path on the
same shop; nothing else can be linked. Without items a menu is the default one: the home page's
category pills and the footer's published pages, so a shop that never set one looks the same.

Writes go through ``catalog_changed`` (the catalog version is bumped after commit), so cached
storefront pages show a change on the next request; the storefront's read is cached per version."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max
from django.urls import Resolver404, resolve, reverse

from apps.catalog import cache as catalog_cache
from apps.catalog.changes import catalog_changed
from apps.catalog.content_pages import PAGE_KINDS, list_published_pages
from apps.catalog.models import Category, MenuItem
from apps.core.errors import Invalid, NotFound

MAX_ITEMS = 40  # per menu, children included
MAX_LABEL = 60
_PATH_CHARS = re.compile(r"^[A-Za-z0-9\-._~/?=&%+]*$")


def list_menu_items(*, tenant, menu: str) -> list[MenuItem]:
    """The items of ``menu`` in order, top-level ones with ``child_items`` (the console)."""
    items = list(MenuItem.objects.for_tenant(tenant).filter(menu=menu).select_related("category"))
    top = [item for item in items if item.parent_id is None]
    for item in top:
        item.child_items = [child for child in items if child.parent_id == item.pk]
    return top


def get_storefront_menus(*, tenant) -> dict[str, list[dict]]:
    """``{"header": [...], "footer": [...]}`` of ``{"label", "url", "children"}`` (cached per catalog
    version). Links to a content page that is not published are left out. Empty: the default menu."""

    def produce():
        published = {page["kind"] for page in list_published_pages(tenant=tenant)}
        items = list(MenuItem.objects.for_tenant(tenant).select_related("category"))
        links = {}
        for item in items:
            url = _item_url(tenant, item, published)
            if url:
                links[item.pk] = {"label": item.label, "url": url, "children": []}
        menus = {"header": [], "footer": []}
        for item in items:
            link = links.get(item.pk)
            if link is None:
                continue
            if item.parent_id is None:
                menus[item.menu].append(link)
            elif item.parent_id in links:
                links[item.parent_id]["children"].append(link)
        return menus

    return catalog_cache.cached(tenant.pk, "menus", None, catalog_cache.TTL_STRUCTURE, produce)


def _item_url(tenant, item: MenuItem, published: set[str]) -> str:
    if item.kind == MenuItem.Kind.CATEGORY and item.category_id:
        return reverse("storefront:category", args=[tenant.slug, item.category.slug])
    if item.kind == MenuItem.Kind.PAGE and item.page_kind in published:
        return reverse("storefront:page", args=[tenant.slug, item.page_kind])
    if item.kind == MenuItem.Kind.PATH:
        return reverse("storefront:home", args=[tenant.slug]) + item.path
    return ""


def clean_shop_path(*, tenant, value: str) -> str:
    """A path on this shop, as typed (``c/tables/``, ``/s/<slug>/c/tables/``, or the full address
    of a page of this shop) -> the part after ``/s/<slug>/``. Another site, another shop, a scheme
    or a path the storefront does not serve is refused (``Invalid`` on ``path``)."""
    value = (value or "").strip()
    home = reverse("storefront:home", args=[tenant.slug])
    if "://" in value:
        value = "/" + value.split("://", 1)[1].partition("/")[2]  # the host is checked below
        if not value.startswith(home):
            raise Invalid({"path": ["Link to a page of this shop only."]})
    if value.startswith(home):
        value = value[len(home) :]
    elif value.startswith("/"):
        raise Invalid({"path": [f"Link to a page of this shop: start with {home} or leave it out."]})
    if not _PATH_CHARS.match(value) or ".." in value or "//" in value:
        raise Invalid({"path": ["Not an address on this shop (letters, digits, - _ . / ? = & only)."]})
    try:
        match = resolve(home + value.partition("?")[0])
    except Resolver404:
        raise Invalid({"path": ["The shop has no page at this address."]}) from None
    if match.namespace != "storefront" or match.kwargs.get("tenant_slug") != tenant.slug:
        raise Invalid({"path": ["Link to a page of this shop only."]})
    return value


@transaction.atomic
def add_menu_item(
    *, tenant, menu: str, label: str, kind: str, category_id=None, page_kind: str = "", path: str = "", parent_id=None
) -> MenuItem:
    """Append a link to ``menu`` (under ``parent_id``: a top-level header item; the header's
    dropdowns are one level deep and the footer has none). ``Invalid`` per field."""
    errors: dict[str, list[str]] = {}
    label = " ".join((label or "").split())
    if menu not in MenuItem.Menu.values:
        errors["menu"] = ["Choose the header or the footer."]
    if not label:
        errors["label"] = ["Give the link a text."]
    elif len(label) > MAX_LABEL:
        errors["label"] = [f"At most {MAX_LABEL} characters."]
    item = MenuItem(tenant=tenant, menu=menu, label=label, kind=kind)
    if kind == MenuItem.Kind.CATEGORY:
        item.category = Category.objects.for_tenant(tenant).filter(pk=_as_int(category_id)).first()
        if item.category is None:
            errors["category"] = ["Choose a category."]
    elif kind == MenuItem.Kind.PAGE:
        if page_kind not in PAGE_KINDS:
            errors["page_kind"] = ["Choose a page."]
        item.page_kind = page_kind
    elif kind == MenuItem.Kind.PATH:
        try:
            item.path = clean_shop_path(tenant=tenant, value=path)
        except Invalid as exc:
            errors.update(exc.details)
    else:
        errors["kind"] = ["Choose what the link points at."]
    if parent_id not in (None, ""):
        parent = MenuItem.objects.for_tenant(tenant).filter(pk=_as_int(parent_id), parent__isnull=True).first()
        if parent is None or parent.menu != MenuItem.Menu.HEADER or menu != MenuItem.Menu.HEADER:
            errors["parent"] = ["Only a top-level link of the header menu can hold a dropdown."]
        item.parent = parent
    if errors:
        raise Invalid(errors, message="The link was not added.")
    siblings = MenuItem.objects.for_tenant(tenant).filter(menu=menu)
    if siblings.count() >= MAX_ITEMS:
        raise Invalid({"menu": [f"A menu holds at most {MAX_ITEMS} links."]}, message="The link was not added.")
    item.position = (siblings.filter(parent=item.parent).aggregate(m=Max("position"))["m"] or 0) + 1
    item.save()
    catalog_changed(tenant_id=tenant.pk, reindex=False)
    return item


@transaction.atomic
def move_menu_item(*, tenant, item_id: int, offset: int) -> MenuItem:
    """Swap a link with its neighbour among its siblings (``offset`` -1 up, +1 down)."""
    item = _access(tenant, item_id)
    siblings = list(
        MenuItem.objects.for_tenant(tenant).select_for_update().filter(menu=item.menu, parent_id=item.parent_id)
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index + (1 if offset > 0 else -1)
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            MenuItem.objects.for_tenant(tenant).filter(pk=sibling.pk).update(position=position)
        catalog_changed(tenant_id=tenant.pk, reindex=False)
    return item


@transaction.atomic
def delete_menu_item(*, tenant, item_id: int) -> None:
    """Remove a link (and its dropdown's links)."""
    _access(tenant, item_id).delete()
    catalog_changed(tenant_id=tenant.pk, reindex=False)


def _access(tenant, item_id) -> MenuItem:
    item = MenuItem.objects.for_tenant(tenant).filter(pk=_as_int(item_id)).first()
    if item is None:
        raise NotFound("No such link.")
    return item


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
