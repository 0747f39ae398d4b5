"""The API contract, fuzzed from its own schema (issue 16).

A real server (Django's live-server thread, on the real PostgreSQL and Redis of the test settings)
serves a seeded shop with a member in each role; schemathesis' CLI runs over the whole published
schema (``/api/v1/schema/``) with every check, all phases including the stateful one, once with an
owner's token and once with a viewer's. Any finding fails the test; schemathesis' own summary is
printed. Operations added to the API are covered as soon as their URLs are mounted: nothing here
lists endpoints.

Reproduce a run with the seed it prints: ``CONTRACT_SEED=<seed> pytest -m contract``. Knobs:
``CONTRACT_SEED`` (default: random), ``CONTRACT_MAX_EXAMPLES`` (per operation and phase, default 8),
``CONTRACT_TIMEOUT`` (seconds per run, default 240).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from apps.accounts.services import issue_tokens
from tests.contract.seed import SHOP_SLUG, seed_shop

pytestmark = [pytest.mark.contract, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SEED = int(os.environ.get("CONTRACT_SEED") or random.SystemRandom().randrange(1, 2**31))
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "8"))
TIMEOUT = int(os.environ.get("CONTRACT_TIMEOUT", "240"))
SCHEMATHESIS = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"


def write_config(directory: Path) -> Path:
    """schemathesis.toml for this run: the seeded shop's slug in every tenant-scoped path."""
    config = directory / "schemathesis.toml"
    config.write_text(
        "\n".join(
            [
                "[parameters]",
                f'"path.tenant_slug" = "{SHOP_SLUG}"',
                "",
                "[phases.stateful]",
                "max-steps = 20",
                "",
            ]
        )
    )
    return config


def run_schemathesis(*, base_url: str, token: str, directory: Path, label: str) -> subprocess.CompletedProcess:
    """Run ``st run`` over the live server's schema; return the finished process (output captured)."""
    command = [
        SCHEMATHESIS,
        "--config-file",
        str(write_config(directory)),
        "run",
        f"{base_url}/api/v1/schema/",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--header",
        f"Authorization: Bearer {token}",
        "--workers",
        "2",
        "--request-timeout",
        "20",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(directory / "report"),
    ]
    print(f"\n=== schemathesis as the {label}: seed {SEED} (CONTRACT_SEED={SEED} reproduces) ===", flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    print(result.stdout[-20000:])
    print(result.stderr[-4000:], file=sys.stderr)
    return result


@pytest.mark.parametrize("role", ["owner", "viewer"])
def test_api_honours_its_schema(live_server, tmp_path, role):
    """Every operation, every check, all phases: no finding as an owner or as a viewer."""
    members = seed_shop()
    token = issue_tokens(user=members[role], client="mobile").access
    result = run_schemathesis(base_url=live_server.url, token=token, directory=tmp_path, label=role)
    assert result.returncode == 0, f"schemathesis found problems as the {role} (seed {SEED}); see its summary above"
