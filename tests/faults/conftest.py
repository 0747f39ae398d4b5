"""Prints the fault suite's table after the run (and writes it to ``FAULTS_TABLE`` if set)."""

from __future__ import annotations

import os


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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests.faults.test_faults import RESULTS

    if not RESULTS:
        return
    table = format_table(RESULTS)
    terminalreporter.write_sep("=", "fault suite")
    terminalreporter.write_line(table)
    if os.environ.get("FAULTS_TABLE"):
        with open(os.environ["FAULTS_TABLE"], "w") as fh:
            fh.write(table + "\n")
