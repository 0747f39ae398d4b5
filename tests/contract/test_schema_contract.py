"""The API contract, fuzzed from its own schema (issue 16).

A real server (Django's live-server thread, on the real PostgreSQL and Redis of the test settings)
serves a seeded shop with a member in each role; schemathesis' CLI runs over the whole published
schema (``/api/v1/schema/``) with every check and the examples, fuzzing and stateful phases (the
coverage phase too with ``CONTRACT_COVERAGE=1``), once with an owner's token and once with a
viewer's; the operations that end a session, account or shop run last, as a second owner. Any
finding fails the test; schemathesis' own summary is printed. Exceptions, each with its reason,
are in ``schemathesis.toml`` beside this file. Operations added to the API are covered as soon as
their URLs are mounted: nothing here lists endpoints.

Reproduce a run with the seed it prints: ``CONTRACT_SEED=<seed> pytest -m contract``. Knobs:
``CONTRACT_SEED`` (default: random), ``CONTRACT_BUDGET`` (seconds of the owner's examples and
fuzzing, default 60, and half that again for its stateful phase; the viewer gets two thirds and a
third, the self-ending run a third), ``CONTRACT_MAX_EXAMPLES`` (per operation
and round, default 5),
``CONTRACT_TIMEOUT`` (seconds per run, default 300), ``CONTRACT_COVERAGE=1`` (add the
coverage phase: every boundary of every constraint, a few minutes more).
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
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "5"))
# Seconds of fuzzing per run (schemathesis' --max-time: fuzzing and stateful testing repeat until it is
# spent), so the test takes the same time on a quiet machine and on this loaded one; how far a budget
# gets depends on the load, the seed fixes what is generated in that order.
BUDGET = int(os.environ.get("CONTRACT_BUDGET", "60"))
TIMEOUT = int(os.environ.get("CONTRACT_TIMEOUT", "300"))
SCHEMATHESIS = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"


CONFIG = Path(__file__).with_name("schemathesis.toml")
# Operations that end the caller's session, account or shop: fuzzed on their own, by a member kept
# for it, so that the other operations keep a working token and shop.
SELF_ENDING = ["auth_logout", "auth_logout_all", "me_erase", "tenant_destroy", "tenant_leave"]


def run_schemathesis(
    *,
    base_url: str,
    token: str,
    directory: Path,
    label: str,
    max_examples: int,
    budget: int,
    phases: str,
    operations: list[str],
) -> subprocess.CompletedProcess:
    """Run ``st run`` over the live server's schema; return the finished process (output captured).

    ``operations`` starting with ``!`` are excluded, others included (none: every operation).
    """
    selection = []
    for operation in operations:
        flag = "--exclude-operation-id" if operation.startswith("!") else "--include-operation-id"
        selection += [flag, operation.lstrip("!")]
    command = [
        SCHEMATHESIS,
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/api/v1/schema/",
        "--checks",
        "all",
        "--phases",
        phases,
        "--seed",
        str(SEED),
        "--max-examples",
        str(max_examples),
        "--max-time",
        str(budget),
        *selection,
        "--header",
        f"Authorization: Bearer {token}",
        # One worker: the live server is one process anyway, and hypothesis' lambda descriptions are
        # not thread-safe on Python 3.11 (ast.parse "recursion depth mismatch" under two workers).
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(directory / "report"),
    ]
    print(f"\n=== schemathesis as the {label}: seed {SEED} (CONTRACT_SEED={SEED} reproduces) ===", flush=True)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        print((exc.stdout or b"")[-20000:].decode(errors="replace"))
        pytest.fail(f"schemathesis ran over {TIMEOUT}s as the {label} (seed {SEED}); its output so far is above")
    print(result.stdout[-30000:])
    print(result.stderr[-4000:], file=sys.stderr)
    return result


# (member whose token is used, examples per operation, operations): the owner reaches every write,
# the viewer every refusal; the self-ending operations run last, as an owner kept for them.
# The phases of the owner's and viewer's runs. The coverage phase (every boundary of every constraint,
# a few thousand requests) takes 4-5 minutes on the loaded 2-core machine: CONTRACT_COVERAGE=1 adds it.
# The stateful phase runs on a budget of its own (half the run's), after the others: with one
# shared --max-time a loaded machine spent it all on fuzzing and the stateful phase got 0 s.
PHASES = "examples,coverage,fuzzing" if os.environ.get("CONTRACT_COVERAGE") else "examples,fuzzing"
NOT_SELF_ENDING = [f"!{operation}" for operation in SELF_ENDING]
RUNS = {
    "owner": ("owner", [(PHASES, BUDGET), ("stateful", BUDGET // 2)], NOT_SELF_ENDING),
    "viewer": ("viewer", [(PHASES, BUDGET * 2 // 3), ("stateful", BUDGET // 3)], NOT_SELF_ENDING),
    # No links lead among these five operations, so no stateful phase; coverage is cheap here.
    "self-ending": ("closer", [("examples,coverage,fuzzing", BUDGET // 3)], SELF_ENDING),
}


@pytest.mark.parametrize("run", list(RUNS))
def test_api_honours_its_schema(live_server, tmp_path, run):
    """Every operation, every check, all phases: no finding as an owner or as a viewer."""
    member, steps, operations = RUNS[run]
    assert f'"path.tenant_slug" = "{SHOP_SLUG}"' in CONFIG.read_text()
    members = seed_shop(closer=member == "closer")
    token = issue_tokens(user=members[member], client="mobile").access
    failed = []
    for phases, budget in steps:
        result = run_schemathesis(
            base_url=live_server.url,
            token=token,
            directory=tmp_path / phases.replace(",", "-"),
            label=f"{run} ({phases})",
            max_examples=MAX_EXAMPLES,
            budget=budget,
            phases=phases,
            operations=operations,
        )
        if result.returncode != 0:
            failed.append(phases)
    assert not failed, f"schemathesis found problems as the {run} in {failed} (seed {SEED}); see its summary above"
