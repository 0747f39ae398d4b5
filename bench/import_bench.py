"""Import benchmark: generate a 50,000-row product CSV and import it twice (the second run must
change nothing), printing rows/s. Run with Django set up (bench/run.sh does)."""

import csv
import io
import os
import random
import time
from datetime import UTC, datetime
from pathlib import Path

import django

django.setup()

from apps.catalog.importer import import_rows  # noqa: E402
from apps.catalog.seed import delete_tenant_catalog, ensure_categories  # noqa: E402
from apps.tenants.models import Tenant  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))


def make_csv(leaves) -> bytes:
    rng = random.Random(11)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sku", "name", "slug", "price", "stock", "status", "category", "options", "attributes"])
    row = 0
    product = 0
    while row < ROWS:
        product += 1
        _, category = leaves[product % len(leaves)]
        name = f"Import Product {product}"
        for size in ("S", "M", "L")[: rng.randint(1, 3)]:
            if row >= ROWS:
                break
            writer.writerow(
                [
                    f"IMP-{product:06d}-{size}",
                    name,
                    f"import-product-{product}",
                    f"{rng.randint(100, 20000) / 100:.2f}",
                    rng.randint(0, 100),
                    "published",
                    category.slug,
                    f"size={size}",
                    f"brand=B{product % 17}",
                ]
            )
            row += 1
    return buffer.getvalue().encode()


def main() -> None:
    tenant, _ = Tenant.objects.get_or_create(slug="import-bench", defaults={"name": "Import Bench"})
    delete_tenant_catalog(tenant=tenant)
    data = make_csv(ensure_categories(tenant=tenant))
    lines = []
    for attempt in ("first import", "same file again"):
        started = time.perf_counter()
        result = import_rows(tenant=tenant, data=data, mode="skip")
        elapsed = time.perf_counter() - started
        line = (
            f"{attempt}: {result.total} rows in {elapsed:.1f} s ({result.total / elapsed:,.0f} rows/s): "
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.errors)} errors"
        )
        print(line, flush=True)
        lines.append(f"- {line}")
    doc = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
    text = doc.read_text()
    start, end = "<!-- import:start -->", "<!-- import:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        stamp = f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `import_rows` in skip mode, {len(data) / 1e6:.1f} MB CSV:"
        doc.write_text(f"{head}{start}\n{stamp}\n\n" + "\n".join(lines) + f"\n{end}{tail}")


if __name__ == "__main__":
    main()
