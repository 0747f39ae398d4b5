"""The console's variant matrix page ``/a/<slug>/catalog/products/<pk>/variants/matrix``: define
options (names and comma-separated values), generate one row per combination, edit SKU, price and
stock in one grid, save all rows at once. Works without JavaScript (two posts: generate, save)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.catalog import selectors, variant_matrix
from apps.catalog.forms import MatrixRowFormSet, pairs_text
from apps.catalog.models import Product
from apps.core.errors import ApplicationError
from apps.tenants.access import tenant_view

OPTION_SLOTS = variant_matrix.MAX_OPTIONS


def _product_or_404(tenant, pk: int) -> Product:
    try:
        return selectors.get_product(tenant=tenant, product_id=pk)
    except Product.DoesNotExist:
        raise Http404("No such product") from None


def _option_slots(pairs: list[tuple[str, str]], errors: dict) -> list[dict]:
    pairs = (pairs + [("", "")] * OPTION_SLOTS)[:OPTION_SLOTS]
    return [
        {"index": i, "name": name, "values": values, "errors": errors.get(f"option_{i}", [])}
        for i, (name, values) in enumerate(pairs)
    ]


def _posted_pairs(post) -> list[tuple[str, str]]:
    return [(post.get(f"option_{i}_name", ""), post.get(f"option_{i}_values", "")) for i in range(OPTION_SLOTS)]


def _row_initial(rows: list[dict]) -> list[dict]:
    return [{**row, "options": pairs_text(row["options"]), "include": True} for row in rows]


@tenant_view(permissions={"GET": "catalog.edit", "POST": "catalog.edit"})
def variant_matrix_page(request, tenant_slug: str, pk: int):
    """GET: the option editor prefilled from the existing variants, and their grid. POST
    ``action=generate``: the grid of every combination; ``action=save``: write the checked rows."""
    tenant = request.tenant
    product = _product_or_404(tenant, pk)
    variants = list(selectors.list_variants(tenant=tenant, product=product))
    option_errors: dict = {}
    rows: list[dict] = []
    status = 200
    if request.method == "POST":
        pairs = _posted_pairs(request.POST)
    else:
        pairs = [(d.label, ", ".join(d.values)) for d in variant_matrix.option_defs_of(variants)]
    formset = None
    if request.method == "POST" and request.POST.get("action") == "save":
        formset = MatrixRowFormSet(request.POST, prefix="rows", form_kwargs={"shop": tenant})
        if formset.is_valid():
            chosen = [form.cleaned_data for form in formset if form.cleaned_data.get("include")]
            try:
                counts = variant_matrix.save_variant_matrix(tenant=tenant, product=product, rows=chosen)
            except ApplicationError as exc:
                _show_row_errors(formset, chosen, exc)
                status = 400
            else:
                messages.success(request, f"Variants saved: {counts['created']} added, {counts['updated']} updated.")
                return redirect(reverse("catalog-console:product-edit", args=[tenant.slug, product.pk]))
        else:
            status = 400
    else:
        try:
            defs = variant_matrix.parse_option_defs(pairs) if pairs else []
        except ApplicationError as exc:
            option_errors, status, defs = exc.details, 400, []
        if defs:
            rows = variant_matrix.plan_variant_matrix(product=product, variants=variants, defs=defs)
        formset = MatrixRowFormSet(initial=_row_initial(rows), prefix="rows", form_kwargs={"shop": tenant})
    context = {
        "tenant": tenant,
        "product": product,
        "slots": _option_slots(pairs, option_errors),
        "formset": formset,
        "rows": list(zip(formset, _labels(formset), strict=True)),
        "kept": _kept_outside(variants, formset),
    }
    return render(request, "catalog/console/variant_matrix.html", context, status=status)


def _labels(formset) -> list[str]:
    """Each row's combination as text (``S / red``), from its hidden options field."""
    labels = []
    for form in formset:
        raw = form["options"].value() or ""
        labels.append(" / ".join(part.split("=", 1)[-1].strip() for part in str(raw).split(";") if part.strip()))
    return labels


def _kept_outside(variants, formset) -> list:
    """Existing variants that no row of the grid edits: they are kept as they are."""
    ids = set()
    for form in formset:
        value = form["variant_id"].value()
        if value not in (None, ""):
            ids.add(int(value))
    return [variant for variant in variants if variant.pk not in ids]


def _show_row_errors(formset, chosen: list[dict], exc: ApplicationError) -> None:
    """Put ``rows[i]`` errors of the service beside the fields of the i-th saved row."""
    included = [form for form in formset if form.cleaned_data.get("include")]
    formset_errors = []
    for key, details in (exc.details or {}).items():
        index = int(key.removeprefix("rows[").removesuffix("]")) if key.startswith("rows[") else None
        if index is None or index >= len(included) or not isinstance(details, dict):
            formset_errors.append(exc.message)
            continue
        form = included[index]
        for field, field_messages in details.items():
            target = field if field in form.fields else None
            for message in field_messages if isinstance(field_messages, list) else [field_messages]:
                form.add_error(target, str(message) if target else f"{field}: {message}")
    formset.matrix_message = exc.message
