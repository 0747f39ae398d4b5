"""The ``category`` column of a product CSV: a slug (``desk-lamps``, what the export writes), a
name, or a path of names (``Home > Lamps > Desk``), matched against the tenant's tree without
regard to case. With "Create missing categories" the steps that do not exist are planned while
rows are checked and created before the rows are written, each through
``services.create_category`` (materialised path, depth limit, cache bump); without it such a row
fails with ``validation.unknown_category_message``.
"""

from __future__ import annotations

from django.utils.text import slugify

from apps.catalog import services
from apps.catalog.models import Category
from apps.catalog.validation import add_error, clean_category_path, unknown_category_message

Path = tuple[str, ...]  # the names of a category path, root first, case-folded


class CategoryResolver:
    """Reads category cells of one import: existing ids now, planned new paths for later."""

    def __init__(self, *, tenant, create: bool):
        self.tenant = tenant
        self.create = create
        rows = list(Category.objects.for_tenant(tenant).values("id", "slug", "name", "parent_id"))
        self.by_slug = {row["slug"]: row["id"] for row in rows}
        self.slugs = set(self.by_slug)
        self.children: dict[tuple[int | None, str], int] = {}
        names: dict[str, list[int]] = {}
        for row in rows:
            self.children.setdefault((row["parent_id"], row["name"].casefold()), row["id"])
            self.children.setdefault((row["parent_id"], row["slug"]), row["id"])
            names.setdefault(row["name"].casefold(), []).append(row["id"])
        self.unique_names = {name: ids[0] for name, ids in names.items() if len(ids) == 1}
        self.planned: dict[Path, list[str]] = {}  # missing path -> its names as written

    def resolve(self, value: str, errors: dict) -> tuple[int | None, Path | None]:
        """``(category_id, None)`` for an existing category, ``(None, path)`` for one to create,
        ``(None, None)`` for a blank cell or an error (added to ``errors``)."""
        names = clean_category_path(value, errors)
        if not names:
            return None, None
        if len(names) == 1:
            key = names[0]
            found = self.by_slug.get(key) or self.unique_names.get(key.casefold())
            if found:
                return found, None
        parent_id = None
        for depth, name in enumerate(names):
            found = self.children.get((parent_id, name.casefold())) or self.children.get((parent_id, slugify(name)))
            if found is None:
                if not self.create:
                    add_error(errors, "category", unknown_category_message(value))
                    return None, None
                path = tuple(n.casefold() for n in names)
                for end in range(depth + 1, len(names) + 1):
                    self.planned.setdefault(path[:end], names[:end])
                return None, path
            parent_id = found
        return parent_id, None

    def count_new(self, paths) -> int:
        """How many categories creating the paths of ``paths`` (those still used) would add."""
        wanted = set()
        for path in paths:
            wanted.update(step for step in self.planned if path[: len(step)] == step)
        return len(wanted)

    def create_missing(self, paths) -> dict[Path, int]:
        """Create the planned categories the given paths need (parents first); path -> id."""
        created: dict[Path, int] = {}
        needed = sorted({step for path in paths for step in self.planned if path[: len(step)] == step}, key=len)
        for step in needed:
            names = self.planned[step]
            parent_id = created.get(step[:-1]) if len(step) > 1 else None
            if parent_id is None and len(step) > 1:
                parent_id = self._existing_id(names[:-1])
            category = services.create_category(
                tenant=self.tenant, name=names[-1], slug=self._free_slug(names), parent=parent_id
            )
            created[step] = category.pk
        return created

    def _existing_id(self, names: list[str]) -> int | None:
        parent_id = None
        for name in names:
            parent_id = self.children.get((parent_id, name.casefold())) or self.children.get((parent_id, slugify(name)))
        return parent_id

    def _free_slug(self, names: list[str]) -> str:
        """The name's slug, else prefixed with the parent's (``lamps-desk``), else numbered."""
        base = slugify(names[-1])[:140] or "category"
        candidates = [base]
        if len(names) > 1:
            candidates.append(slugify(f"{names[-2]} {names[-1]}")[:140])
        candidates += [f"{base[:130]}-{n}" for n in range(2, 1000)]
        slug = next(c for c in candidates if c and c not in self.slugs)
        self.slugs.add(slug)
        return slug
