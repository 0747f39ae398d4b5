"""Load shapes for ``make bench``: one user class per scenario, each picking URLs from a pool.

``BENCH_URLS`` names the JSON file of pools (from bench/make_urls.py); ``BENCH_POOL_SIZE`` limits
each pool to its first N URLs (the warm runs use the URLs the driver pre-fetched). Think time is
1–5 s, as for real shoppers. To add a scenario: add a pool in make_urls.py and a class here, then
a line in SCENARIOS of bench/driver.py.
"""

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["BENCH_URLS"]) as fh:
    POOLS = json.load(fh)
LIMIT = int(os.environ.get("BENCH_POOL_SIZE", "0")) or None


def pool(name: str) -> list[str]:
    return POOLS[name][:LIMIT]


class _Shopper(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    scenario = ""

    @task
    def visit(self):
        url = random.choice(pool(self.scenario))
        self.client.get(url, name=self.scenario)


class FloorUser(_Shopper):
    scenario = "floor"


class CategoryUser(_Shopper):
    scenario = "category"


class SearchUser(_Shopper):
    scenario = "search"


class ProductUser(_Shopper):
    scenario = "product"


class ApiListUser(_Shopper):
    scenario = "api_list"


class ApiRetrieveUser(_Shopper):
    scenario = "api_retrieve"
