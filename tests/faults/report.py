"""The fault suite's table: rows recorded by each test travel on its test report
(``user_properties``), so the process that reports prints them, whether the suite ran in it or in a
pytest-xdist worker. ``tests/conftest.py`` calls these from its hooks; ``FAULTS_TABLE`` names a file
to write the table to as well."""

from __future__ import annotations

import os

ROW = "fault_row"
RESULTS: list[dict] = []  # this process's rows; each test's rows also ride on its report (see conftest)
REPORTED: list[dict] = []


def format_table(rows: list[dict]) -> str:
    """The Markdown table of the fault rows."""
    lines = [
        f"Fault suite, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end (2 cores, shared)",
        "",
        "| fault | requests sent | errors | data checked | recovery time |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r['fault']} | {r['sent']} | {r['errors']} | {r['checked']} | {r['recovery']} |" for r in rows]
    return "\n".join(lines)


def collect_rows(report) -> None:
    """Keep the rows a finished test carried on its teardown report."""
    if report.when == "teardown":
        REPORTED.extend(value for name, value in report.user_properties if name == ROW)


def write_table(terminalreporter) -> None:
    """Print the table at the end of the run (nothing if no fault test ran)."""
    if not REPORTED:
        return
    table = format_table(REPORTED)
    terminalreporter.write_sep("=", "fault suite")
    terminalreporter.write_line(table)
    if os.environ.get("FAULTS_TABLE"):
        with open(os.environ["FAULTS_TABLE"], "w") as fh:
            fh.write(table + "\n")
