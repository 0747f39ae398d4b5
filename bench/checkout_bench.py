"""The checkout section of ``make bench`` (issue 11, item 18): printed, never asserted.

(a) **Funnel** on the seeded 50,000-product catalog: closed-loop shoppers (``BENCH_CHECKOUT_USERS``,
    default 16 = gunicorn's 2 workers x 8 threads) each browse (storefront home + a product page),
    create a cart, add a variant, set email/address/shipping/bank transfer, and place the order,
    for ``BENCH_CHECKOUT_DURATION`` seconds (20). Prints p50/p95/p99 per step, place-order
    p50/p95/p99 and orders per second, and the same-minute floor (``/bench/floor``) at the same
    concurrency.
(b) **Limited drop**: a fresh variant with 10 in stock, 1,000 carts ready to place, and 1,000
    place-order calls fired open loop over 9 s (one every 9 ms, asyncio, no client-side connection
    cap, so every attempt is sent on time however slow the answers). Prints created orders, clean
    ``out_of_stock`` answers and errors (must be exactly 10 / 990 / 0), then checks in the
    database that 10 units are allocated, none over stock.

Runs against its own gunicorn (production settings + bench URLconf) on ``BENCH_CHECKOUT_PORT``.
Called by ``bench/run.sh`` after the catalog is seeded; alone:
``BENCH_SKIP_SEED=1 bash bench/run.sh`` or ``DJANGO_SETTINGS_MODULE=bench.settings ... python bench/checkout_bench.py``.
Writes ``bench/results/checkout.md`` and the block between the checkout markers in
``docs/performance.md``.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402

from apps.catalog.models import Product, Variant  # noqa: E402  (bench set-up reads the catalog directly)
from apps.orders import selectors as order_selectors  # noqa: E402
from apps.orders import services as order_services  # noqa: E402
from apps.orders.models import OrderLine  # noqa: E402
from apps.payments import services as payment_services  # noqa: E402
from apps.tenants.models import Tenant  # noqa: E402
from bench.driver import machine  # noqa: E402
from bench.serving import start_gunicorn, stop_process  # noqa: E402

PORT = int(os.environ.get("BENCH_CHECKOUT_PORT", "8766"))
HOST = f"http://127.0.0.1:{PORT}"
USERS = int(os.environ.get("BENCH_CHECKOUT_USERS", "16"))
DURATION = float(os.environ.get("BENCH_CHECKOUT_DURATION", "20"))
DROP_ATTEMPTS = int(os.environ.get("BENCH_DROP_ATTEMPTS", "1000"))
DROP_STOCK = int(os.environ.get("BENCH_DROP_STOCK", "10"))
DROP_WINDOW = float(os.environ.get("BENCH_DROP_WINDOW", "9"))
RESULTS = ROOT / "bench" / "results"
ADDRESS = {
    "name": "Bench Shopper",
    "line1": "1 Rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "FR",
}


def log(message: str) -> None:
    print(f"[checkout {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


# --- set-up (in-process, not measured) --------------------------------------------------------
def prepare_shop(tenant) -> int:
    """Shipping to FR/DE, 20 % VAT, bank transfer on (idempotent). Returns the shipping method id."""
    zones = order_selectors.list_shipping_zones(tenant=tenant)
    zone = next((z for z in zones if z.name == "Bench EU"), None)
    if zone is None:
        zone = order_services.create_shipping_zone(tenant=tenant, name="Bench EU", countries_value=["FR", "DE"])
        order_services.create_shipping_method(
            tenant=tenant, zone_id=zone.pk, data={"name": "Standard", "price": "4.90", "delivery_estimate": "2-4 days"}
        )
        order_services.set_tax_rate(tenant=tenant, country="", rate="20")
    payment_services.update_provider_config(tenant=tenant, provider="bank_transfer", enabled=True)
    return zone.methods.order_by("id").first().pk


def funnel_variants(tenant, count: int = 2000) -> list[tuple[int, str]]:
    """(variant id, product slug) of published products with plenty of units free."""
    rows = (
        Variant.objects.for_tenant(tenant)
        .filter(product__status="published", stock__gte=F("allocated") + 20)
        .values_list("pk", "product__slug")
        .order_by("?")[:count]
    )
    return list(rows)


def make_drop(tenant) -> Variant:
    """A new published product with one variant and DROP_STOCK units."""
    from apps.catalog import services as catalog_services

    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    product = catalog_services.create_product(
        tenant=tenant,
        data={"name": f"Limited drop {stamp}", "status": "published"},
        variants=[{"sku": f"DROP-{stamp}", "price": "49.00", "stock": DROP_STOCK}],
    )
    return Product.objects.for_tenant(tenant).get(pk=product.pk).variants.get()


def drop_carts(tenant, variant: Variant, method_id: int, count: int) -> list[str]:
    """``count`` carts with one unit of the drop variant, checkout complete (no holds), 4 threads."""

    def some(indexes: range) -> list[str]:
        try:
            return _drop_carts(tenant, variant, method_id, indexes)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        chunks = [range(i, min(count, i + 50)) for i in range(0, count, 50)]
        return [token for tokens in pool.map(some, chunks) for token in tokens]


def _drop_carts(tenant, variant: Variant, method_id: int, indexes: range) -> list[str]:
    tokens = []
    for i in indexes:
        cart = order_services.create_cart(tenant=tenant)
        order_services.add_to_cart(tenant=tenant, cart=cart, variant_id=variant.pk, quantity=1)
        order_services.update_checkout(
            tenant=tenant,
            cart=cart,
            data={
                "email": f"drop{i}@example.com",
                "shipping_address": ADDRESS,
                "shipping_method": method_id,
                "payment_method": "bank_transfer",
            },
        )
        tokens.append(str(cart.token))
    return tokens


# --- the server ---------------------------------------------------------------------------------
def start_server() -> subprocess.Popen:
    return start_gunicorn(PORT, log_path=RESULTS / "checkout-gunicorn.log", ready_path="/bench/floor")


# --- load -----------------------------------------------------------------------------------------
class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()

    def call(self, session: requests.Session, step: str, method: str, url: str, ok: tuple[int, ...], **kwargs):
        started = time.perf_counter()
        try:
            response = session.request(method, HOST + url, timeout=60, **kwargs)
            status = response.status_code
        except requests.RequestException:
            response, status = None, "exception"
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.times[step].append(elapsed)
            self.statuses[(step, status)] += 1
        if response is None or status not in ok:
            return None
        return response


def run_floor(seconds: float) -> dict:
    recorder, stop = Recorder(), time.monotonic() + seconds

    def loop():
        session = requests.Session()
        while time.monotonic() < stop:
            recorder.call(session, "floor", "GET", "/bench/floor", (200,))

    threads = [threading.Thread(target=loop) for _ in range(USERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = recorder.times["floor"]
    return {"rps": len(times) / seconds, "p50": pct(times, 50), "p95": pct(times, 95)}


def run_funnel(slug: str, variants: list[tuple[int, str]], method_id: int) -> tuple[Recorder, int, float]:
    recorder, stop = Recorder(), time.monotonic() + DURATION
    api = f"/api/v1/t/{slug}"
    placed = Counter()

    def shopper(index: int):
        session = requests.Session()
        rng = random.Random(index)
        while time.monotonic() < stop:
            variant_id, product_slug = rng.choice(variants)
            recorder.call(session, "browse: shop home", "GET", f"/s/{slug}/", (200,))
            recorder.call(session, "browse: product page", "GET", f"/s/{slug}/p/{product_slug}/", (200,))
            cart = recorder.call(session, "cart: create", "POST", f"{api}/carts/", (201,))
            if cart is None:
                continue
            token = cart.json()["token"]
            if (
                recorder.call(
                    session,
                    "cart: add line",
                    "POST",
                    f"{api}/carts/{token}/lines/",
                    (201,),
                    json={"variant_id": variant_id, "quantity": 1},
                )
                is None
            ):  # noqa: E501
                continue
            body = {
                "email": f"shopper{index}@example.com",
                "shipping_address": ADDRESS,
                "shipping_method": method_id,
                "payment_method": "bank_transfer",
            }  # noqa: E501
            if (
                recorder.call(
                    session, "checkout: details", "PATCH", f"{api}/carts/{token}/checkout/", (200,), json=body
                )
                is None
            ):
                continue
            key = str(uuid.uuid4())
            if recorder.call(
                session,
                "place order",
                "POST",
                f"{api}/carts/{token}/order/",
                (200, 201),
                headers={"Idempotency-Key": key},
            ):
                with recorder.lock:
                    placed["orders"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=shopper, args=(i,)) for i in range(USERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return recorder, placed["orders"], time.monotonic() - started


def run_drop(slug: str, tokens: list[str]) -> tuple[Counter, list[float], float, float]:
    """Fire one place-order per token at ``start + i * DROP_WINDOW / n`` (asyncio, no client-side
    connection cap, so every attempt is sent on schedule however slow the answers are)."""
    return asyncio.run(_drop(slug, tokens))


async def _drop(slug: str, tokens: list[str]) -> tuple[Counter, list[float], float, float]:
    url = f"{HOST}/api/v1/t/{slug}/carts/{{}}/order/"
    outcomes: Counter = Counter()
    times: list[float] = []
    sent_at: list[float] = []
    loop = asyncio.get_running_loop()
    step = DROP_WINDOW / max(1, len(tokens))
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=600)) as session:
        start = loop.time() + 0.5

        async def attempt(index: int, token: str) -> None:
            await asyncio.sleep(max(0.0, start + index * step - loop.time()))
            sent_at.append(loop.time() - start)
            began = time.perf_counter()
            try:
                async with session.post(url.format(token)) as response:
                    status = response.status
                    body = await response.json(content_type=None)
                code = (body.get("error") or {}).get("code", "") if status >= 400 else ""
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                status, code = "exception", type(exc).__name__
            times.append((time.perf_counter() - began) * 1000)
            if status in (200, 201):
                outcomes["orders"] += 1
            elif status == 409 and code == "out_of_stock":
                outcomes["out_of_stock"] += 1
            else:
                outcomes[f"error {status} {code}".strip()] += 1

        await asyncio.gather(*(attempt(i, token) for i, token in enumerate(tokens)))
        finished = loop.time() - start
    return outcomes, times, max(sent_at, default=0.0), finished


# --- report ---------------------------------------------------------------------------------------
def report(*, funnel: Recorder, orders: int, elapsed: float, floor: dict, drop: Counter, drop_times: list[float],
           drop_sent: float, drop_done: float, db_check: str, load: tuple[float, float, float]) -> str:  # fmt: skip
    place = funnel.times.get("place order", [])
    failures = sum(n for (stp, status), n in funnel.statuses.items() if status not in (200, 201))
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; gunicorn {os.environ.get('WEB_CONCURRENCY', '2')} "
        f"workers x {os.environ.get('GUNICORN_THREADS', '8')} threads, production settings, PostgreSQL and Redis on "
        f"loopback; load generator (Python threads) on the same machine; 1/5/15-minute load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the start (2 vCPUs; anything else running on the "
        f"machine shows up there).",
        "",
        f"(a) Funnel, closed loop, {USERS} shoppers without think time for {DURATION:.0f} s, bank transfer:",
        "",
        "| step | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in funnel.times.items():
        lines.append(
            f"| {name} | {len(values)} | {pct(values, 50):.0f} | {pct(values, 95):.0f} | {pct(values, 99):.0f} |"
        )
    lines += [
        "",
        f"Place order: **p50 {pct(place, 50):.0f} ms, p95 {pct(place, 95):.0f} ms, p99 {pct(place, 99):.0f} ms**; "
        f"**{orders / elapsed:.1f} orders/s** ({orders} orders in {elapsed:.1f} s, whole funnel per order); "
        f"non-2xx answers: {failures}. Same-minute floor (`/bench/floor`, {USERS} closed-loop clients): "
        f"{floor['rps']:.0f} rps, p50 {floor['p50']:.0f} ms, p95 {floor['p95']:.0f} ms.",
        "",
        f"(b) Limited drop: {sum(drop.values())} place-order attempts for a variant with {DROP_STOCK} in stock, "
        f"open loop, all sent within {drop_sent:.1f} s (one every {DROP_WINDOW / max(1, DROP_ATTEMPTS) * 1000:.0f} ms, "
        f"asyncio client, no connection cap), the last answer after {drop_done:.1f} s: "
        f"**{drop.get('orders', 0)} orders, "
        f"{drop.get('out_of_stock', 0)} `out_of_stock`, "
        f"{sum(n for k, n in drop.items() if k not in ('orders', 'out_of_stock'))} errors** "
        f"({', '.join(f'{k}: {n}' for k, n in sorted(drop.items()))}); "
        f"latency p50 {pct(drop_times, 50):.0f} ms, p95 {pct(drop_times, 95):.0f} ms, "
        f"p99 {pct(drop_times, 99):.0f} ms. "
        f"Database afterwards: {db_check}.",
    ]
    return "\n".join(lines)


def write_docs(text: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "checkout.md").write_text(text + "\n")
    doc = ROOT / "docs" / "performance.md"
    start, end = "<!-- checkout-bench:start -->", "<!-- checkout-bench:end -->"
    content = doc.read_text()
    if start in content and end in content:
        before, rest = content.split(start, 1)
        _, after = rest.split(end, 1)
        doc.write_text(f"{before}{start}\n{text}\n{end}{after}")


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    slug = os.environ.get("BENCH_TENANT", "bench")
    tenant = Tenant.objects.get(slug=slug)
    method_id = prepare_shop(tenant)
    variants = funnel_variants(tenant)
    log(f"{len(variants)} variants for the funnel; preparing the drop ({DROP_ATTEMPTS} carts)")
    drop_variant = make_drop(tenant)
    tokens = drop_carts(tenant, drop_variant, method_id, DROP_ATTEMPTS)
    load = os.getloadavg()
    server = start_server()
    try:
        floor = run_floor(10)
        log(f"floor: {floor['rps']:.0f} rps p50 {floor['p50']:.0f} ms")
        requests.get(f"{HOST}/s/{slug}/", timeout=120)  # a shop's front page is always warm
        funnel, orders, elapsed = run_funnel(slug, variants, method_id)
        log(f"funnel: {orders} orders in {elapsed:.1f} s")
        drop, drop_times, drop_sent, drop_done = run_drop(slug, tokens)
        log(f"drop: {dict(drop)}, sent within {drop_sent:.1f} s, answered within {drop_done:.1f} s")
    finally:
        stop_process(server)
    drop_variant.refresh_from_db()
    sold = sum(
        OrderLine.objects.for_tenant(tenant).filter(variant_id=drop_variant.pk).values_list("quantity", flat=True)
    )
    db_check = f"{sold} units sold in order lines, allocated {drop_variant.allocated} of stock {drop_variant.stock}"
    text = report(funnel=funnel, orders=orders, elapsed=elapsed, floor=floor, drop=drop, drop_times=drop_times,
                  drop_sent=drop_sent, drop_done=drop_done, db_check=db_check, load=load)  # fmt: skip
    print(text)
    write_docs(text)


if __name__ == "__main__":
    main()
