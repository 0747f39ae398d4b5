"""The public storefront ``/s/<tenant_slug>/``: home, category pages, search, product pages,
sitemap.xml, robots.txt and the tenant's uploaded images. Reads come from cached selectors;
drafts and archived products are never shown."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from urllib.parse import quote_plus

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from apps.catalog import cache as catalog_cache
from apps.catalog import filter_chips, selectors, storefront_theme, suggestions, variant_choice
from apps.catalog.filters import ProductFilters, parse_product_filters
from apps.catalog.validation import SORT_LABELS
from apps.core import page_cache
from apps.core.markdown import markdown_to_text
from apps.tenants.access import get_public_tenant, tenant_page_dependency
from apps.tenants.public_urls import is_on_shop_domain, shop_relative_path, storefront_url

PER_PAGE = 24
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class PageInfo:
    """What ``partials/pagination.html`` needs, for a listing computed by the selectors."""

    number: int
    num_pages: int

    @property
    def paginator(self):
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def ld_json(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">`` block, with <, > and & escaped."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308


def cacheable_response(response: HttpResponse, tenant, ttl: int) -> HttpResponse:
    """Let the anonymous page cache store ``response`` until the tenant's catalog version or its
    own fields change (or ``ttl`` passes)."""
    depends = {**catalog_cache.page_dependencies(tenant.pk), **tenant_page_dependency(tenant.pk)}
    page_cache.cache_response(response, depends_on=depends, ttl=ttl)
    return response


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _listing_context(request, tenant, filters: ProductFilters, base_path: str, **overrides) -> dict:
    listing = selectors.get_storefront_listing(
        tenant=tenant, filters=filters, page=_page_number(request), per_page=PER_PAGE
    )
    page = PageInfo(listing["page"], listing["pages"])
    query = filters.querystring(**overrides)
    canonical = storefront_url(request, tenant, base_path)
    canonical_query = f"q={quote_plus(filters.q)}" if filters.q else ""
    params = "&".join(p for p in (canonical_query, f"page={page.number}" if page.number > 1 else "") if p)
    if params:
        canonical += "?" + params
    link = lambda n: base_path + "?" + "&".join(p for p in (query, f"page={n}") if p)  # noqa: E731
    return {
        "tenant": tenant,
        "filters": filters,
        "listing": listing,
        "cards": listing["cards"],
        "facets": listing["facets"],
        "total": listing["total"],
        "page_obj": page,
        "page_query": query,
        "canonical": canonical,
        "prev_url": link(page.number - 1) if page.has_previous() else "",
        "next_url": link(page.number + 1) if page.has_next() else "",
        "base_path": base_path,
        "active": filter_chips.active_filter_chips(filters, base_path, tenant.currency, overrides),
        "categories": [c for c in selectors.get_category_tree(tenant=tenant) if c["depth"] == 0],
        "sorts": SORT_LABELS,
    }


def _render_listing(request, template: str, context: dict) -> HttpResponse:
    """The page, with the results block (facets, cards, pagination) rendered once per catalog
    version and filter set and then served from the cache; htmx gets the block alone."""
    filters, tenant = context["filters"], context["tenant"]
    params = {
        "base": context["base_path"],
        "filters": filters.as_params(),
        "notices": filters.notices,
        "page": context["page_obj"].number,
    }
    html = catalog_cache.cached(
        tenant.pk,
        "results-html",
        params,
        catalog_cache.TTL_LISTING,
        lambda: render_to_string("catalog/storefront/_results.html", context),
    )
    if request.htmx and request.htmx.target == "results":
        return cacheable_response(HttpResponse(html), tenant, catalog_cache.TTL_LISTING)
    response = render(request, template, {**context, "results_html": mark_safe(html)})  # noqa: S308 (our template)
    return cacheable_response(response, tenant, catalog_cache.TTL_LISTING)


@require_GET
def home(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The shop's front page: top categories and the newest products."""
    tenant = get_public_tenant(slug=tenant_slug)
    filters = parse_product_filters(request.GET)
    context = _listing_context(request, tenant, filters, reverse("storefront:home", args=[tenant.slug]))
    return _render_listing(request, "catalog/storefront/home.html", context)


@require_GET
def search(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Search results ``?q=`` with filters, facets, sorting and page numbers."""
    tenant = get_public_tenant(slug=tenant_slug)
    filters = parse_product_filters(request.GET)
    context = _listing_context(request, tenant, filters, reverse("storefront:search", args=[tenant.slug]))
    return _render_listing(request, "catalog/storefront/search.html", context)


@require_GET
def suggest(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Search-as-you-type: the listbox of up to 8 suggestions for ``?q=`` (htmx fetches it into
    the header's search box; cached like the pages). Submitting the form still opens ``search``."""
    tenant = get_public_tenant(slug=tenant_slug)
    found = suggestions.suggest(tenant=tenant, q=request.GET.get("q", ""))
    context = {"tenant": tenant, **found}
    response = render(request, "catalog/storefront/_suggestions.html", context)
    return cacheable_response(response, tenant, catalog_cache.TTL_LISTING)


@require_GET
def category(request: HttpRequest, tenant_slug: str, category_slug: str) -> HttpResponse:
    """A category page: its products and its descendants' products, filterable."""
    tenant = get_public_tenant(slug=tenant_slug)
    tree = selectors.get_category_tree(tenant=tenant)
    node = selectors.find_category(tree, category_slug)
    if node is None:
        raise Http404("No such category")
    data = request.GET.copy()
    data["category"] = category_slug
    filters = parse_product_filters(data)
    path = reverse("storefront:category", args=[tenant.slug, category_slug])
    context = _listing_context(request, tenant, filters, path, category="")
    context["category"] = node
    context["breadcrumbs"] = selectors.breadcrumbs(tree, node)
    return _render_listing(request, "catalog/storefront/category.html", context)


@require_GET
def product(request: HttpRequest, tenant_slug: str, product_slug: str) -> HttpResponse:
    """A product page with variant choice (``?opt_size=M&opt_colour=red`` or ``?variant=<sku>``),
    price, stock and images."""
    tenant = get_public_tenant(slug=tenant_slug)
    item = selectors.get_public_product(tenant=tenant, slug=product_slug)
    if item is None:
        raise Http404("No such product")
    context = product_context(request, tenant, item)
    params = {"slug": item["slug"], "variant": context["selected"]["sku"] if context["selected"] else ""}
    html = catalog_cache.cached(
        tenant.pk,
        "product-html",
        params,
        catalog_cache.TTL_PRODUCT,
        lambda: render_to_string("catalog/storefront/_product.html", context),
    )
    context["product_html"] = mark_safe(html)  # noqa: S308 (our template, escaped inside)
    response = render(request, "catalog/storefront/product.html", context)
    return cacheable_response(response, tenant, catalog_cache.TTL_PRODUCT)


def product_context(request: HttpRequest, tenant, item: dict) -> dict:
    """What the product page's templates need for ``item`` (``selectors.product_detail``): the
    variant chosen by the query string, option groups, canonical URL and structured data."""
    variants = item["variants"]
    chosen = variant_choice.chosen_options(request.GET)
    selected = variant_choice.pick_variant(variants, sku=request.GET.get("variant", ""), chosen=chosen)
    canonical = storefront_url(request, tenant, reverse("storefront:product", args=[tenant.slug, item["slug"]]))
    image = item["images"][0] if item["images"] else None
    structured = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": item["name"],
        "description": (item["seo_description"] or markdown_to_text(item["description"]))[:500],
        "sku": selected["sku"] if selected else "",
        "url": canonical,
        "offers": [
            {
                "@type": "Offer",
                "sku": v["sku"],
                "price": v["price"],
                "priceCurrency": v["currency"],
                "availability": "https://schema.org/InStock" if v["stock"] > 0 else "https://schema.org/OutOfStock",
            }
            for v in variants
        ],
    }
    if image:
        structured["image"] = request.build_absolute_uri(image["original"])
    if item["category"]:
        structured["category"] = item["category"]["name"]
    return {
        "tenant": tenant,
        "product": item,
        "selected": selected,
        "option_groups": variant_choice.build_option_groups(variants, selected),
        "canonical": canonical,
        "og_image": request.build_absolute_uri(image["src"]) if image else "",
        "ld_json": ld_json(structured),
    }


@require_GET
def sitemap(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """sitemap.xml of the shop: home, categories and published products."""
    tenant = get_public_tenant(slug=tenant_slug)
    urls = [{"loc": storefront_url(request, tenant, reverse("storefront:home", args=[tenant.slug])), "lastmod": ""}]
    for node in selectors.get_category_tree(tenant=tenant):
        path = reverse("storefront:category", args=[tenant.slug, node["slug"]])
        urls.append({"loc": storefront_url(request, tenant, path), "lastmod": ""})
    for entry in selectors.list_sitemap_entries(tenant=tenant):
        path = reverse("storefront:product", args=[tenant.slug, entry["slug"]])
        urls.append({"loc": storefront_url(request, tenant, path), "lastmod": entry["lastmod"]})
    return render(request, "catalog/storefront/sitemap.xml", {"urls": urls}, content_type="application/xml")


@require_GET
def robots(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """robots.txt of the shop: crawl everything but search results; where the sitemap is (on the
    shop's own domain when it has one). Its paths are those of the host it is served on."""
    tenant = get_public_tenant(slug=tenant_slug)
    base = reverse("storefront:home", args=[tenant.slug])
    if is_on_shop_domain(request):
        base = shop_relative_path(tenant, base)
    sitemap_url = storefront_url(request, tenant, reverse("storefront:sitemap", args=[tenant.slug]))
    body = f"User-agent: *\nAllow: {base}\nDisallow: {base}search\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_GET
def theme(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The shop's theme stylesheet (its colours as custom properties; see ``storefront_theme``)."""
    tenant = get_public_tenant(slug=tenant_slug)
    response = HttpResponse(storefront_theme.theme_stylesheet(tenant), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"  # the link's ?v= changes with the tenant
    return response


@require_GET
def media(request: HttpRequest, tenant_slug: str, path: str) -> FileResponse:
    """An uploaded image (or thumbnail) or the logo of the shop; only files under the tenant's own prefixes."""
    tenant = get_public_tenant(slug=tenant_slug)
    own = (f"catalog/{tenant.pk}/images/", f"tenants/{tenant.pk}/logo/")
    if ".." in path.split("/") or not path.startswith(own):
        raise Http404("No such file")
    if not default_storage.exists(path):
        raise Http404("No such file")
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # names are unique per upload
    return response
