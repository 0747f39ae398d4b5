"""With a real Celery worker (not eager): an edit commits at once and the search vector catches up
in the background within seconds (the write never waits on index work)."""

import pytest
from django.db import transaction

from apps.catalog import selectors, services
from apps.catalog.filters import parse_product_filters
from tests.catalog.factories import make_product
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_search_catches_up_after_an_edit(tenant, real_worker):
    product = make_product(tenant, "Plain Kettle")
    with transaction.atomic():
        services.update_product(tenant=tenant, product=product, data={"name": "Zanzibar Kettle"})

    def found():
        filters = parse_product_filters({"q": "zanzib"})
        return [p.name for p in selectors.search_products(tenant=tenant, filters=filters)] == ["Zanzibar Kettle"]

    assert wait_for(found), "the worker did not refresh the search vector"
