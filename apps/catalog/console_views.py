"""The staff console ``/a/<tenant_slug>/catalog/``: products (list with search, filters, sort and
bulk actions; create, edit, archive, delete; variants; images), categories, CSV import/export.
``catalog.view`` to see, ``catalog.edit`` to change; every write goes through a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.catalog import importer, selectors, services
from apps.catalog.filters import parse_product_filters
from apps.catalog.forms import (
    CategoryForm,
    ImageForm,
    ImportForm,
    NewProductForm,
    ProductForm,
    VariantForm,
    apply_service_errors,
    pairs_text,
)
from apps.catalog.images import add_product_image, create_product_with_image, delete_product_image, max_image_bytes
from apps.catalog.import_outcome import describe_job_outcome
from apps.catalog.models import JobKind, Product, ProductStatus
from apps.core.errors import ApplicationError, NotFound
from apps.tenants.access import tenant_view

VIEW = {"GET": "catalog.view"}
EDIT = {"GET": "catalog.view", "POST": "catalog.edit"}
EDIT_ONLY = {"POST": "catalog.edit"}
# Pages whose only purpose is editing: a viewer would be shown a form that then refuses them.
EDIT_PAGE = {"GET": "catalog.edit", "POST": "catalog.edit"}
PER_PAGE = 50
BULK_ACTIONS = {"publish": ProductStatus.PUBLISHED, "archive": ProductStatus.ARCHIVED, "draft": ProductStatus.DRAFT}


def _body_too_large(request, limit: int) -> HttpResponse | None:
    """A 413 page before the body is read, when the declared length is over ``limit`` (+64 KiB of form)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + 64 * 1024:
        mb = limit // (1024 * 1024)
        return render(request, "catalog/console/too_large.html", {"limit_mb": mb}, status=413)
    return None


def _url(name: str, tenant, *args) -> str:
    return reverse(f"catalog-console:{name}", args=[tenant.slug, *args])


def _product_or_404(tenant, pk: int) -> Product:
    try:
        return selectors.access_product(tenant=tenant, product_id=pk)
    except NotFound:
        raise Http404("No such product") from None


@tenant_view(permissions=EDIT)
def product_list(request, tenant_slug: str):
    """Products with search, filters, sort, page numbers; POST applies a bulk status change."""
    tenant = request.tenant
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in BULK_ACTIONS:
                raise ApplicationError("Choose an action.", details={"action": ["Invalid."]})
            ids = [int(i) for i in request.POST.getlist("ids") if i.isdecimal()]
            count = services.set_products_status(tenant=tenant, product_ids=ids, status=BULK_ACTIONS[action])
            messages.success(request, f"{count} product{'s' if count != 1 else ''} changed to {BULK_ACTIONS[action]}.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(_url("products", tenant) + ("?" + request.POST["back"] if request.POST.get("back") else ""))
    filters = parse_product_filters(request.GET)
    qs = selectors.search_products(tenant=tenant, filters=filters, public=False).only(*selectors.LIST_FIELDS)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "tenant": tenant,
        "filters": filters,
        "page_obj": page,
        "cards": selectors.product_cards(tenant, list(page.object_list), with_sales=False),
        "page_query": filters.querystring(),
        "categories": selectors.list_categories(tenant=tenant),
        "statuses": ProductStatus.choices,
        "can_edit": request.tenant_access.can("catalog.edit"),
    }
    return render(request, "catalog/console/product_list.html", context)


@tenant_view(permissions=EDIT_PAGE)
def product_create(request, tenant_slug: str):
    tenant = request.tenant
    categories = selectors.list_categories(tenant=tenant)
    if request.method == "POST":
        too_large = _body_too_large(request, max_image_bytes())
        if too_large:
            return too_large
    form = NewProductForm(request.POST or None, request.FILES or None, categories=categories, shop=tenant)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        variant = {"sku": data.pop("sku"), "price": data.pop("price"), "stock": data.pop("stock")}
        upload, alt = data.pop("image"), data.pop("image_alt")
        try:
            product = create_product_with_image(tenant=tenant, data=data, variants=[variant], upload=upload, alt=alt)
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Created {product.name}.")
            return redirect(_url("product-edit", tenant, product.pk))
    context = {"tenant": tenant, "form": form, "product": None, "can_edit": True}
    return render(request, "catalog/console/product_form.html", context)


@tenant_view(permissions=EDIT)
def product_edit(request, tenant_slug: str, pk: int):
    """Edit a product; the page also lists its variants and images with their forms."""
    tenant = request.tenant
    product = _product_or_404(tenant, pk)
    categories = selectors.list_categories(tenant=tenant)
    initial = {
        "name": product.name,
        "slug": product.slug,
        "status": product.status,
        "category": product.category_id,
        "description": product.description,
        "attributes": pairs_text(product.attributes),
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
    }
    form = ProductForm(request.POST or None, initial=initial, categories=categories)
    can_edit = request.tenant_access.can("catalog.edit")
    if not can_edit:  # viewers read the product; the fields are shown disabled
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(tenant=tenant, product=product, data=dict(form.cleaned_data))
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(_url("product-edit", tenant, product.pk))
    context = _edit_context(tenant, product, form=form, can_edit=can_edit)
    return render(request, "catalog/console/product_form.html", context)


def _edit_context(tenant, product, **extra) -> dict:
    return {
        "tenant": tenant,
        "product": product,
        "variants": list(product.variants.all()),
        "images": [(image, selectors.image_data(tenant, image)) for image in product.images.all()],
        "variant_form": extra.pop("variant_form", None) or VariantForm(shop=tenant),
        "image_form": extra.pop("image_form", None) or ImageForm(),
        "can_edit": extra.pop("can_edit", True),
        **extra,
    }


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def product_delete(request, tenant_slug: str, pk: int):
    product = _product_or_404(request.tenant, pk)
    services.delete_product(tenant=request.tenant, product=product)
    messages.success(request, f"Deleted {product.name}.")
    return redirect(_url("products", request.tenant))


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def variant_add(request, tenant_slug: str, pk: int):
    tenant = request.tenant
    product = _product_or_404(tenant, pk)
    form = VariantForm(request.POST, shop=tenant)
    if form.is_valid():
        try:
            services.create_variant(tenant=tenant, product=product, data=dict(form.cleaned_data))
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Variant added.")
            return redirect(_url("product-edit", tenant, product.pk))
    form_ = ProductForm(initial={"name": product.name}, categories=selectors.list_categories(tenant=tenant))
    context = _edit_context(tenant, product, form=form_, variant_form=form)
    return render(request, "catalog/console/product_form.html", context, status=400)


@tenant_view(permissions=EDIT_PAGE)
def variant_edit(request, tenant_slug: str, pk: int, variant_id: int):
    tenant = request.tenant
    product = _product_or_404(tenant, pk)
    try:
        variant = selectors.access_variant(tenant=tenant, product=product, variant_id=variant_id)
    except NotFound:
        raise Http404("No such variant") from None
    initial = {
        "sku": variant.sku,
        "options": pairs_text(variant.options),
        "price": variant.price,
        "compare_at_price": variant.compare_at_price or "",
        "stock": variant.stock,
        "low_stock_threshold": variant.low_stock_threshold,
    }
    form = VariantForm(request.POST or None, initial=initial, shop=tenant)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.delete_variant(tenant=tenant, variant=variant)
            messages.success(request, f"Deleted variant {variant.sku}.")
            return redirect(_url("product-edit", tenant, product.pk))
        if form.is_valid():
            try:
                services.update_variant(tenant=tenant, variant=variant, data=dict(form.cleaned_data))
            except ApplicationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Variant saved.")
                return redirect(_url("product-edit", tenant, product.pk))
    context = {"tenant": tenant, "product": product, "variant": variant, "form": form}
    return render(request, "catalog/console/variant_form.html", context)


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def image_add(request, tenant_slug: str, pk: int):
    tenant = request.tenant
    too_large = _body_too_large(request, max_image_bytes())
    if too_large:
        return too_large
    product = _product_or_404(tenant, pk)
    form = ImageForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            add_product_image(
                tenant=tenant, product=product, upload=form.cleaned_data["image"], alt=form.cleaned_data["alt"]
            )
        except ApplicationError as exc:
            apply_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, "Image uploaded; thumbnails are being made.")
            return redirect(_url("product-edit", tenant, product.pk))
    form_ = ProductForm(initial={"name": product.name}, categories=selectors.list_categories(tenant=tenant))
    context = _edit_context(tenant, product, form=form_, image_form=form)
    return render(request, "catalog/console/product_form.html", context, status=status)


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def image_delete(request, tenant_slug: str, pk: int, image_id: int):
    tenant = request.tenant
    product = _product_or_404(tenant, pk)
    try:
        image = selectors.access_image(tenant=tenant, product=product, image_id=image_id)
    except NotFound:
        raise Http404("No such image") from None
    delete_product_image(tenant=tenant, image=image)
    messages.success(request, "Image deleted.")
    return redirect(_url("product-edit", tenant, product.pk))


@tenant_view(permissions=EDIT)
def category_list(request, tenant_slug: str):
    """The category tree and a form to add one."""
    tenant = request.tenant
    categories = selectors.list_categories(tenant=tenant)
    form = CategoryForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_category(
                tenant=tenant,
                name=data["name"],
                slug=data["slug"],
                parent=data["parent"],
                description=data["description"],
            )
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added {data['name']}.")
            return redirect(_url("categories", tenant))
    context = {
        "tenant": tenant,
        "categories": categories,
        "form": form,
        "can_edit": request.tenant_access.can("catalog.edit"),
    }
    return render(request, "catalog/console/category_list.html", context)


@tenant_view(permissions=EDIT_PAGE)
def category_edit(request, tenant_slug: str, pk: int):
    tenant = request.tenant
    try:
        category = selectors.access_category(tenant=tenant, category_id=pk)
    except NotFound:
        raise Http404("No such category") from None
    categories = selectors.list_categories(tenant=tenant).exclude(path__startswith=category.path)
    initial = {
        "name": category.name,
        "slug": category.slug,
        "parent": category.parent_id,
        "description": category.description,
    }
    form = CategoryForm(request.POST or None, initial=initial, categories=categories)
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                services.delete_category(tenant=tenant, category=category)
                messages.success(request, f"Deleted {category.name}.")
                return redirect(_url("categories", tenant))
            if form.is_valid():
                services.update_category(tenant=tenant, category=category, data=dict(form.cleaned_data))
                messages.success(request, "Saved.")
                return redirect(_url("categories", tenant))
        except ApplicationError as exc:
            apply_service_errors(form, exc)
    return render(request, "catalog/console/category_form.html", {"tenant": tenant, "category": category, "form": form})


@tenant_view(permissions=EDIT_PAGE)
def import_page(request, tenant_slug: str):
    """Upload a CSV to import; lists recent imports and exports."""
    tenant = request.tenant
    if request.method == "POST":
        too_large = _body_too_large(request, importer.max_import_bytes())
        if too_large:
            return too_large
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = importer.start_import(
                    tenant=tenant,
                    user=request.user,
                    upload=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                    options=form.import_options(),
                )
            except ApplicationError as exc:
                apply_service_errors(form, exc)
                status = exc.status
            else:
                return redirect(_url("job", tenant, job.pk))
        else:
            status = 400
    jobs = selectors.list_jobs(tenant=tenant)[:20]
    context = {"tenant": tenant, "form": form, "jobs": jobs, "columns": importer.COLUMNS}
    return render(request, "catalog/console/import.html", context, status=status)


@tenant_view(permissions=EDIT_ONLY)
@require_POST
def export_start(request, tenant_slug: str):
    """Queue an export of the list's current filters."""
    job = importer.start_export(tenant=request.tenant, user=request.user, params=request.POST.dict())
    return redirect(_url("job", request.tenant, job.pk))


def _job_or_404(tenant, pk: int):
    try:
        return selectors.access_job(tenant=tenant, job_id=pk)
    except NotFound:
        raise Http404("No such job") from None


@tenant_view(permissions=VIEW)
def job_detail(request, tenant_slug: str, pk: int):
    """A job's progress (the htmx poll target) and, when done, its results and downloads."""
    job = _job_or_404(request.tenant, pk)
    context = {
        "tenant": request.tenant,
        "job": job,
        "progress": importer.get_progress(job),
        "outcome": describe_job_outcome(job),
    }
    if request.htmx:
        return render(request, "catalog/console/_job_progress.html", context)
    return render(request, "catalog/console/job.html", context)


@tenant_view(permissions=VIEW)
def job_download(request, tenant_slug: str, pk: int) -> HttpResponse:
    """The export CSV or the import's error report."""
    job = _job_or_404(request.tenant, pk)
    if not job.result:
        raise Http404("Nothing to download")
    name = f"catalog-export-{job.pk}.csv" if job.kind == JobKind.EXPORT else f"import-{job.pk}-errors.csv"
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=name, content_type="text/csv")
