"""Writes to a tenant's category tree (a materialised path): create, rename, move with its
subtree, delete; and :func:`resolve_category`, the one way a category is named in input (an
instance, an id or a slug of this tenant). ``apps.catalog.services`` re-exports them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.text import slugify

from apps.catalog.changes import catalog_changed
from apps.catalog.models import PATH_STEP, Category, Product
from apps.catalog.sale_prices import refresh_sale_percentages
from apps.catalog.validation import CATEGORY_DEPTH_MESSAGE, MAX_CATEGORY_DEPTH, MAX_CATEGORY_NAME, REQUIRED_MESSAGE
from apps.core.errors import ApplicationError, ErrorCode, Invalid, NotFound


def resolve_category(*, tenant, value, errors: dict, field: str = "category") -> Category | None:
    """A category of the tenant from an instance, id or slug; an error for anything else
    (including another tenant's category)."""
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        if value.tenant_id != tenant.pk:
            errors.setdefault(field, []).append("Unknown category.")
            return None
        return value
    categories = Category.objects.for_tenant(tenant)
    text = str(value).strip()
    category = categories.filter(pk=int(text)).first() if text.isdecimal() else categories.filter(slug=text).first()
    if category is None:
        errors.setdefault(field, []).append(f"Unknown category: {text[:60]}.")
    return category


def _step(category_id: int) -> str:
    return f"{category_id:0{PATH_STEP}d}."


def create_category(*, tenant, name: str, slug: str = "", parent=None, description: str = "") -> Category:
    """Add a category under ``parent`` (a Category, id, slug or None for a root)."""
    errors: dict = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [REQUIRED_MESSAGE]
    elif len(name) > MAX_CATEGORY_NAME:
        errors["name"] = [f"At most {MAX_CATEGORY_NAME} characters."]
    slug = slugify(slug or name)[:140]
    if not slug and "name" not in errors:
        errors["slug"] = ["Give a slug."]
    parent_obj = resolve_category(tenant=tenant, value=parent, errors=errors, field="parent")
    if parent_obj is not None and parent_obj.depth >= MAX_CATEGORY_DEPTH:
        errors.setdefault("parent", []).append(CATEGORY_DEPTH_MESSAGE)
    if slug and Category.objects.for_tenant(tenant).filter(slug=slug).exists():
        errors.setdefault("slug", []).append("Another category already uses this slug.")
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        category = Category.objects.create(
            tenant=tenant, name=name, slug=slug, parent=parent_obj, description=description or ""
        )
        category.path = (parent_obj.path if parent_obj else "") + _step(category.pk)
        category.depth = parent_obj.depth + 1 if parent_obj else 0
        category.save(update_fields=["path", "depth"])
        catalog_changed(tenant_id=tenant.pk, reindex=False)
    return category


def update_category(*, tenant, category: Category, data: dict) -> Category:
    """Rename / re-slug / move a category; moving rewrites the paths of its subtree in one UPDATE."""
    if category.tenant_id != tenant.pk:
        raise NotFound()
    errors: dict = {}
    if "name" in data:
        name = str(data["name"] or "").strip()
        if not name or len(name) > 120:
            errors["name"] = ["Give a name of at most 120 characters."]
        category.name = name
    if "slug" in data:
        slug = slugify(str(data["slug"] or ""))[:140]
        if not slug or Category.objects.for_tenant(tenant).filter(slug=slug).exclude(pk=category.pk).exists():
            errors["slug"] = ["Give a slug no other category uses."]
        category.slug = slug
    if "description" in data:
        category.description = str(data["description"] or "")
    new_parent = category.parent
    if "parent" in data:
        new_parent = resolve_category(tenant=tenant, value=data["parent"], errors=errors, field="parent")
        if new_parent is not None and new_parent.path.startswith(category.path):
            errors.setdefault("parent", []).append("A category cannot move under itself or its descendants.")
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        old_path, old_depth = category.path, category.depth
        category.parent = new_parent
        category.path = (new_parent.path if new_parent else "") + _step(category.pk)
        category.depth = new_parent.depth + 1 if new_parent else 0
        category.save()
        if old_path != category.path:
            Category.objects.for_tenant(tenant).filter(path__startswith=old_path).exclude(pk=category.pk).update(
                path=Concat(Value(category.path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (category.depth - old_depth),
            )
            refresh_sale_percentages(tenant=tenant)  # the subtree may move under (or out of) a sale
        catalog_changed(tenant_id=tenant.pk, product_ids=None)
    return category


def delete_category(*, tenant, category: Category) -> None:
    """Delete an empty-of-children category; its products become uncategorised."""
    if category.tenant_id != tenant.pk:
        raise NotFound()
    if Category.objects.for_tenant(tenant).filter(parent=category).exists():
        raise ApplicationError(
            "Move or delete the sub-categories first.",
            code=ErrorCode.CONFLICT,
            status=409,
            details={"category": ["Move or delete the sub-categories first."]},
        )
    with transaction.atomic():
        product_ids = list(Product.objects.for_tenant(tenant).filter(category=category).values_list("id", flat=True))
        category.delete()  # a sale on it goes too (promotions' foreign key cascades)
        refresh_sale_percentages(tenant=tenant, product_ids=product_ids)
        catalog_changed(tenant_id=tenant.pk, product_ids=product_ids)
