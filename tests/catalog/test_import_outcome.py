"""Issue 13, item 10: a finished import says honestly how it went — "Done with 5 rows skipped"
in a warning, not a green "Done" — prints its summary once, lists the first 50 problems on the
page (the rest in the download), and numbers rows as a spreadsheet does, also when a quoted cell
spans several lines."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog.import_outcome import SHOWN_ERRORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


def run_import(editor, tenant, text, django_capture_on_commit_callbacks):
    """Upload, preview, import (eager Celery in tests); returns the job page's HTML."""
    base = f"/a/{tenant.slug}/catalog/import/"
    file = SimpleUploadedFile("products.csv", text.encode(), content_type="text/csv")
    preview = editor.post(f"{base}preview", {"file": file, "mode": "skip"})
    with django_capture_on_commit_callbacks(execute=True):
        job = editor.post(preview["Location"], {"mode": "skip"})
    assert "/jobs/" in job["Location"]
    return editor.get(job["Location"]).content.decode()


def test_five_of_seven_rows_skipped_is_a_warning_with_the_problems_on_the_page(
    editor, tenant, django_capture_on_commit_callbacks
):
    rows = [f"OK-{i},Lamp {i},10.00,1" for i in range(2)] + [f"BAD-{i},Lamp,-{i + 1},1" for i in range(5)]
    page = run_import(
        editor, tenant, "sku,name,price,stock\n" + "\n".join(rows) + "\n", django_capture_on_commit_callbacks
    )
    assert '<span class="job-status">Done with 5 rows skipped</span>' in page
    assert 'class="flash flash-warning"' in page and "flash-success" not in page
    assert page.count("2 created") == 1  # the summary once
    shown = re.findall(r"<li>Row (\d+), <code>price</code>: Must be zero or more.</li>", page)
    assert shown == ["4", "5", "6", "7", "8"]
    assert "Download the error report" in page


def test_a_clean_import_is_done_in_green(editor, tenant, django_capture_on_commit_callbacks):
    page = run_import(editor, tenant, "sku,name,price,stock\nA-1,Lamp,10.00,1\n", django_capture_on_commit_callbacks)
    assert '<span class="job-status">Done</span>' in page and 'class="flash flash-success"' in page
    assert "Problems</h2>" not in page


def test_only_the_first_problems_are_on_the_page(editor, tenant, django_capture_on_commit_callbacks):
    rows = [f"BAD-{i},Lamp,-1,1" for i in range(SHOWN_ERRORS + 7)] + ["OK-1,Lamp,1.00,1"]
    page = run_import(
        editor, tenant, "sku,name,price,stock\n" + "\n".join(rows) + "\n", django_capture_on_commit_callbacks
    )
    assert page.count("<code>price</code>: Must be zero or more.") == SHOWN_ERRORS
    assert f"The first {SHOWN_ERRORS} are shown; 7 more in the error report." in page


def test_row_numbers_count_records_not_file_lines(editor, tenant, django_capture_on_commit_callbacks):
    text = (
        "sku,name,price,stock,description\n"
        'A-1,Lamp,10.00,1,"A description\nover three\nlines"\n'  # row 2 of the spreadsheet, lines 2-4
        "A-2,Lamp,-1,1,\n"  # row 3 (file line 5)
    )
    page = run_import(editor, tenant, text, django_capture_on_commit_callbacks)
    assert "<li>Row 3, <code>price</code>: Must be zero or more.</li>" in page
