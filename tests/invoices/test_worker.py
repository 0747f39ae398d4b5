"""With a real Celery worker (eager mode off, RabbitMQ, a queue unique to this run): paying an
order publishes the invoice task through the outbox after commit and the worker issues and
renders the invoice; an order export is written by the worker and reaches "done"."""

from __future__ import annotations

import csv
import io

import pytest
from rest_framework.test import APIClient

from apps.invoices import selectors
from apps.orders import exports
from tests.invoices.conftest import SELLER, pay, place
from tests.orders.conftest import make_variant
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_paying_makes_the_invoice_in_the_worker(tenant, shop, real_worker):
    order = place(tenant, shop, [(make_variant(tenant, price="15.00", stock=5, name="Teapot"), 1)])
    assert selectors.find_order_invoice(tenant=tenant, order_id=order.pk) is None

    pay(tenant, order)  # commits; the outbox publishes invoices.issue_invoice to the worker

    def rendered():
        invoice = selectors.find_order_invoice(tenant=tenant, order_id=order.pk)
        return invoice is not None and invoice.rendered_at is not None

    assert wait_for(rendered, timeout=60), real_worker.log()[-3000:]
    invoice, pdf = selectors.get_invoice_pdf(tenant=tenant, order_id=order.pk)
    assert pdf.startswith(b"%PDF") and invoice.sequence == 1 and invoice.seller["tax_id"] == SELLER["tax_id"]
    assert "invoices.issue_invoice" in real_worker.log()


def test_an_export_is_written_by_the_worker(tenant, shop, real_worker):
    for n in range(3):
        place(tenant, shop, [(make_variant(tenant, name=f"Spoon {n}"), 1)], email=f"s{n}@example.com")

    job = exports.start_order_export(tenant=tenant, user=None, kind="orders", params={})

    def done():
        job.refresh_from_db()
        return job.status == "done"

    assert wait_for(done, timeout=60), real_worker.log()[-3000:]
    assert exports.get_export_progress(job) == {"done": 3, "total": 3, "percent": 100}
    with job.result.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode())))
    assert [r[2] for r in rows[1:]] == ["s2@example.com", "s1@example.com", "s0@example.com"]


def test_an_export_asked_through_the_api_is_written_by_the_worker(tenant, shop, real_worker, make_member):
    for n in range(2):
        place(tenant, shop, [(make_variant(tenant, name=f"Fork {n}"), 1)], email=f"f{n}@example.com")
    api = APIClient()
    api.force_authenticate(make_member(tenant, "viewer"))

    response = api.post(f"/api/v1/t/{tenant.slug}/orders/exports/", {"kind": "lines"}, format="json")
    assert response.status_code == 202, response.json()

    def done():
        return api.get(response["Location"]).json()["status"] == "done"

    assert wait_for(done, timeout=60), real_worker.log()[-3000:]
    job = api.get(response["Location"]).json()
    assert job["progress"] == {"done": 2, "total": 2, "percent": 100}
    rows = list(csv.reader(io.StringIO(b"".join(api.get(job["download_url"]).streaming_content).decode())))
    assert [r[2] for r in rows[1:]] == ["f1@example.com", "f0@example.com"]
