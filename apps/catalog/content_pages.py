"""A shop's content pages (about, shipping and returns, privacy, terms): reads for the storefront
(cached per catalog version) and the one write, ``save_content_page``, for the console."""

from __future__ import annotations

from django.db import transaction

from apps.catalog import cache as catalog_cache
from apps.catalog.changes import catalog_changed
from apps.catalog.models import ContentPage
from apps.core.errors import Invalid, NotFound

PAGE_KINDS = {
    "about": "About us",
    "shipping-returns": "Shipping and returns",
    "privacy": "Privacy",
    "terms": "Terms and conditions",
}
MAX_BODY = 20_000


def list_content_pages(*, tenant) -> list[dict]:
    """Every page kind with its saved page, if any (the console list)."""
    saved = {page.kind: page for page in ContentPage.objects.for_tenant(tenant)}
    return [{"kind": kind, "default_title": label, "page": saved.get(kind)} for kind, label in PAGE_KINDS.items()]


def get_content_page(*, tenant, kind: str) -> ContentPage | None:
    """The saved page of ``kind`` (published or not), or None; ``NotFound`` for an unknown kind."""
    if kind not in PAGE_KINDS:
        raise NotFound("No such page.")
    return ContentPage.objects.for_tenant(tenant).filter(kind=kind).first()


def list_published_pages(*, tenant) -> list[dict]:
    """``[{"kind", "title"}]`` of the published pages in ``PAGE_KINDS`` order (cached): the footer."""

    def produce():
        rows = dict(ContentPage.objects.for_tenant(tenant).filter(published=True).values_list("kind", "title"))
        return [{"kind": kind, "title": rows[kind]} for kind in PAGE_KINDS if kind in rows]

    return catalog_cache.cached(tenant.pk, "content-pages", None, catalog_cache.TTL_STRUCTURE, produce)


def get_published_page(*, tenant, kind: str) -> dict | None:
    """A published page as plain data (cached), or None."""

    def produce():
        page = ContentPage.objects.for_tenant(tenant).filter(kind=kind, published=True).first()
        if page is None:
            return False
        return {"kind": page.kind, "title": page.title, "body": page.body, "updated_at": page.updated_at.isoformat()}

    if kind not in PAGE_KINDS:
        return None
    return catalog_cache.cached(tenant.pk, "content-page", kind, catalog_cache.TTL_STRUCTURE, produce) or None


@transaction.atomic
def save_content_page(*, tenant, kind: str, title: str, body: str, published: bool) -> ContentPage:
    """Create or replace the shop's page of ``kind``; the storefront shows it after commit."""
    if kind not in PAGE_KINDS:
        raise NotFound("No such page.")
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    errors = {}
    if not title:
        errors["title"] = ["Give the page a title."]
    elif len(title) > 120:
        errors["title"] = ["At most 120 characters."]
    if len(body) > MAX_BODY:
        errors["body"] = [f"At most {MAX_BODY} characters."]
    if published and not body:
        errors["body"] = ["Write something before publishing the page."]
    if errors:
        raise Invalid(errors, message="The page was not saved.")
    page, _ = ContentPage.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, kind=kind, defaults={"title": title, "body": body, "published": published}
    )
    catalog_changed(tenant_id=tenant.pk, reindex=False)
    return page
