"""Property-based conformance: every operation of openapi.yaml against the real server.

Schemathesis generates requests from the contract, valid and invalid ones, sends
them over HTTP with the owner's credential, and runs every one of its checks on
each answer: a documented status, content type, headers and body, never a server
error, invalid data refused and valid data accepted, the right `Allow` on a 405,
and in the stateful phase the links of the spec followed as workflows (a created
user can be read, updated, invited and deleted; a deleted one is gone).

An operation of the spec that the server does not implement yet (it answers
501, see users_server/unimplemented.py) is not tested: the server names those
operations itself, the plugin's cases for them are skipped with a reason naming
each, the command leaves them out (`--exclude-operation-id`), and the run
prints the list.
Every other operation is checked exactly as before.

Two runs, one configuration (schemathesis.toml next to this file):

* `test_conformance`: the examples, coverage and fuzzing phases through the pytest
  plugin, each case from the seeded state;
* `test_battery`: the `schemathesis run` command, every phase (stateful included)
  and every check, with a fixed seed, as `make conformance` runs it with a larger
  budget (USERS_CONFORMANCE_EXAMPLES).

USERS_CONFORMANCE_SPEC runs both on another spec (test_unimplemented.py runs them
on a spec ahead of the server); the default is the repository's openapi.yaml.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from users_server import RunningServer, Settings, serve_in_thread

from .not_implemented import exclusion_options, not_implemented_report, skip_reason

SPEC = Path(
    os.environ.get("USERS_CONFORMANCE_SPEC") or Path(__file__).resolve().parents[2] / "openapi.yaml"
).resolve()
CONFIG = Path(__file__).with_name("schemathesis.toml")
# Bounded so that the whole server suite stays well under two minutes on two cores;
# `make conformance` raises it.
MAX_EXAMPLES = int(os.environ.get("USERS_CONFORMANCE_EXAMPLES", "40"))
# A fixed seed: CI runs the same cases every time, so a failure is a change, not luck.
SEED = 1

schema = schemathesis.openapi.from_path(SPEC, config=schemathesis.Config.from_path(CONFIG))


@pytest.fixture(scope="module")
def running() -> Iterator[RunningServer]:
    with serve_in_thread(Settings(port=0, deterministic=True, test_mode=True, spec=SPEC)) as server:
        # On screen with `pytest -s` (`make conformance`): what this run leaves out.
        print(not_implemented_report(server.unimplemented))
        yield server


@pytest.fixture(scope="module")
def server(running: RunningServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=running.base_url) as client:
        yield client


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # No example database: a run does not depend on, or leave behind, earlier runs.
    database=None,
    derandomize=True,
)
def test_conformance(
    case: schemathesis.Case, server: httpx2.Client, running: RunningServer
) -> None:
    # Hypothesis lets pytest's skip through: the first example ends the test.
    reason = skip_reason(case.operation.label, running.unimplemented)
    if reason is not None:
        pytest.skip(reason)
    # Every case starts from the seeded state: otherwise the examples' fixed
    # Idempotency-Key and email make most later cases a 409 that checks nothing.
    server.post("/_test/reset").raise_for_status()
    # No `checks=`: every check the configuration enables, which is all of them.
    case.call_and_validate(base_url=str(server.base_url).rstrip("/"))


def test_battery(server: httpx2.Client, running: RunningServer, tmp_path: Path) -> None:
    server.post("/_test/reset").raise_for_status()
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        f"--config-file={CONFIG}",
        "--no-color",
        "run",
        str(SPEC),
        f"--url={str(server.base_url).rstrip('/')}",
        "--checks=all",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={MAX_EXAMPLES}",
        f"--seed={SEED}",
        "--generation-database=none",
        # One worker: the same seed then sends the same requests in the same order.
        "--workers=1",
        *exclusion_options(running.unimplemented),
    ]
    # In a temporary folder: the command keeps a crash cache (.schemathesis/) in its
    # working directory, and a run must neither depend on nor leave behind another.
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    # The figures (cases per phase, stateful scenarios and links, failures, time),
    # on screen with `pytest -s` (`make conformance`).
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
