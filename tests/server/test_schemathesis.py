"""Property-based conformance: every operation of openapi.yaml against the real server.

Schemathesis generates requests from the contract, valid and invalid ones
(its examples, coverage and fuzzing phases), sends them over HTTP with the
owner's credential, and checks that each answer is one the contract allows:
a documented status, content type, headers and body, and never a server error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from users_server import Settings
from users_server.background import run_server

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Bounded so that the whole server suite stays well under a minute on two cores.
MAX_EXAMPLES = 40

# Authenticating through the config (not by adding a header) tells Schemathesis
# the security requirement is met, so it only sends other credentials on purpose.
schema = schemathesis.openapi.from_path(
    SPEC,
    config=schemathesis.Config.from_dict(
        {"auth": {"openapi": {"bearerAuth": {"bearer": "owner-token"}}}}
    ),
)


@pytest.fixture(scope="module")
def server() -> Iterator[httpx2.Client]:
    with (
        run_server(Settings(port=0, deterministic=True, test_mode=True)) as url,
        httpx2.Client(base_url=url) as client,
    ):
        yield client


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # No example database: a run does not depend on, or leave behind, earlier runs.
    database=None,
)
def test_conformance(case: schemathesis.Case, server: httpx2.Client) -> None:
    # Every case starts from the seeded state: otherwise the examples' fixed
    # Idempotency-Key and email make most later cases a 409 that checks nothing.
    server.post("/_test/reset").raise_for_status()
    case.call_and_validate(base_url=str(server.base_url).rstrip("/"), checks=CHECKS)
