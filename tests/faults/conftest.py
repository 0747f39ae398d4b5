"""Each fault test's rows go on its report, for the table ``tests/faults/report.py`` prints."""

from __future__ import annotations

import pytest

from tests.faults.report import RESULTS, ROW


@pytest.fixture(autouse=True)
def _rows_on_the_report(request):
    """Attach the rows a test recorded to its report (they reach the controller under xdist)."""
    before = len(RESULTS)
    yield
    request.node.user_properties.extend((ROW, row) for row in RESULTS[before:])
