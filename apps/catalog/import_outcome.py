"""What a finished catalog job tells the person who ran it: an honest status, its tone, and the
first problems of an import on the page (the full list stays a download).

"Done" alone meant nothing when 5 of 7 rows were skipped; :func:`describe_job_outcome` says
"Done with 5 rows skipped" in a warning, and lists the first :data:`SHOWN_ERRORS` problems read
back from the job's error report (``row,column,message``, row numbers as a spreadsheet shows them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from apps.catalog.csv_rows import RowError
from apps.catalog.models import JobKind, JobStatus
from apps.core.csv_safe import restore_cell

SHOWN_ERRORS = 50


@dataclass(frozen=True)
class JobOutcome:
    """``label`` ("Done with 2 rows skipped"), ``tone`` (success / warning / error / "" while it
    runs), the first problems and how many more the report holds."""

    label: str
    tone: str
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0


def read_report_errors(job) -> list[RowError]:
    """Every problem in an import job's error report (empty when it has none)."""
    if job.kind != JobKind.IMPORT or not job.result:
        return []
    with job.result.open("rb") as stream:
        text = stream.read().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    return [RowError(int(row[0]), restore_cell(row[1]), restore_cell(row[2])) for row in rows if len(row) == 3]


def describe_job_outcome(job) -> JobOutcome:
    """The status line and tone of ``job``, and for a finished import its first problems."""
    if job.status in (JobStatus.PENDING, JobStatus.RUNNING):
        return JobOutcome(label=job.get_status_display(), tone="")
    errors = read_report_errors(job)
    shown, more = errors[:SHOWN_ERRORS], max(0, len(errors) - SHOWN_ERRORS)
    if job.status == JobStatus.FAILED:
        return JobOutcome(label="Failed: nothing was imported", tone="error", errors=shown, more_errors=more)
    # Rows the import skipped (recorded when it ran: image fetch failures added to the report
    # later are not skipped rows, the row itself was imported).
    skipped = (job.params or {}).get("skipped_rows", len({error.row for error in errors}))
    if skipped:
        label = f"Done with {skipped} row{'s' if skipped != 1 else ''} skipped"
        return JobOutcome(label=label, tone="warning", errors=shown, more_errors=more)
    return JobOutcome(label="Done", tone="warning" if errors else "success", errors=shown, more_errors=more)
