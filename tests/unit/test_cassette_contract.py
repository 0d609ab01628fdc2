"""The spec check behind users_sdk.testing: exchanges against the installed spec.

Every committed cassette passes it; each kind of drift an API change leaves in
a cassette is caught, with a message naming the field; and on the committed
cassettes' bodies it agrees with openapi-core, an independent implementation.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from users_sdk import openapi
from users_sdk.testing._cassette_check import exchange_from_file, mismatches
from users_sdk.testing._cassette_contract import Contract, Exchange

ROOT = Path(__file__).resolve().parents[2]
IGNORED = ("/_test/",)


def committed_exchanges() -> list[tuple[str, int, Exchange]]:
    found = []
    for path in sorted((ROOT / "cassettes").rglob("*.yaml")):
        interactions = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
        for index, interaction in enumerate(interactions, start=1):
            found.append((path.name, index, exchange_from_file(interaction)))
    return found


EXCHANGES = committed_exchanges()
CONTRACT = Contract(openapi.load_spec())


def first(method: str, path_part: str, status: int = 200) -> Exchange:
    for _, _, exchange in EXCHANGES:
        if exchange.method == method and path_part in exchange.uri and exchange.status == status:
            return exchange
    raise AssertionError(f"no recorded {method} {path_part} -> {status}")


def with_body(exchange: Exchange, edit: Any) -> Exchange:
    body = json.loads(exchange.response_body or "")
    edit(body)
    return dataclasses.replace(exchange, response_body=json.dumps(body))


def problems(exchange: Exchange) -> list[str]:
    return CONTRACT.check(exchange)[1]


def test_the_installed_spec_is_the_one_generated_from() -> None:
    assert openapi.spec_path().read_bytes() == (ROOT / "openapi.yaml").read_bytes()
    assert openapi.load_spec()["openapi"].startswith("3.")


def test_every_committed_interaction_matches_the_spec() -> None:
    assert len(EXCHANGES) > 200
    for name, index, exchange in EXCHANGES:
        found = mismatches(name, [(index, exchange)], IGNORED)
        assert found == [], found[0].message()


GET_USER = first("GET", "/v1/users/usr_")
# The spec's roles, as a message lists them (a new role must not break these tests).
ROLES = ", ".join(openapi.load_spec()["components"]["schemas"]["UserRole"]["enum"])
LIST = first("GET", "/v1/users?")


@pytest.mark.parametrize(
    ("exchange", "expected"),
    [
        (with_body(GET_USER, lambda b: b.pop("email")), "'email' is missing"),
        (
            with_body(GET_USER, lambda b: b.update(role="superuser")),
            f"'role' is 'superuser', not one of: {ROLES}",
        ),
        (
            with_body(GET_USER, lambda b: b.update(version="3")),
            "'version' is '3', expected an integer",
        ),
        (
            with_body(GET_USER, lambda b: b.update(version=True)),
            "'version' is True, expected an integer",
        ),
        (
            with_body(LIST, lambda b: b["items"][0].pop("email")),
            "items[0]: 'email' is missing",
        ),
        (
            with_body(LIST, lambda b: b["items"][0].update(created_at="yesterday")),
            "items[0]: 'created_at' is 'yesterday', not a date-time",
        ),
        (
            with_body(LIST, lambda b: b["items"][0].update(groups="admins")),
            "items[0]: 'groups' is 'admins', expected an array",
        ),
        (
            dataclasses.replace(GET_USER, status=418),
            "status 418 is not a response of this operation",
        ),
        (
            dataclasses.replace(GET_USER, method="PUT"),
            "the spec has no operation PUT /v1/users/usr_",
        ),
        (
            dataclasses.replace(LIST, uri="http://users-api.test/v1/users?team=a"),
            "query parameter 'team' is not in the spec",
        ),
        (
            dataclasses.replace(LIST, uri="http://users-api.test/v1/users?limit=500"),
            "'limit' is 500, outside 1 to 100",
        ),
        (
            dataclasses.replace(LIST, uri="http://users-api.test/v1/users?role=boss"),
            f"role[0] is 'boss', not one of: {ROLES}",
        ),
        (
            dataclasses.replace(GET_USER, response_headers={"content-type": "text/html"}),
            "the 200 response is text/html, the spec declares application/json",
        ),
        (
            dataclasses.replace(GET_USER, response_body="<html>"),
            "the 200 response body is not JSON",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_drift_is_named(exchange: Exchange, expected: str) -> None:
    found = problems(exchange)
    assert any(message.startswith(expected) for message in found), found


def test_a_bad_value_the_server_refused_is_a_test_not_drift() -> None:
    # A test may send limit=500 on purpose to see the 422: only the answer is checked.
    refused = first("POST", "/v1/users", status=422)
    as_list = dataclasses.replace(
        refused, method="GET", uri="http://users-api.test/v1/users?limit=500"
    )
    assert problems(as_list) == []
    accepted = dataclasses.replace(LIST, uri="http://users-api.test/v1/users?limit=500")
    assert problems(accepted) == ["'limit' is 500, outside 1 to 100"]


def test_only_the_users_api_is_checked_and_ignored_paths_are_left_alone() -> None:
    elsewhere = dataclasses.replace(GET_USER, uri="https://telemetry.example.com/v1/users/x")
    control = dataclasses.replace(GET_USER, uri="http://users-api.test/_test/reset", method="POST")
    assert mismatches("c.yaml", [(1, elsewhere), (2, control)], IGNORED) == []
    assert [m.interaction for m in mismatches("c.yaml", [(2, control)])] == [2]


def test_the_message_names_cassette_interaction_operation_and_field() -> None:
    stale = with_body(GET_USER, lambda b: b.pop("email"))
    [mismatch] = mismatches("tests/cassettes/test_app/test_onboard.yaml", [(2, stale)])
    assert mismatch.message() == (
        "cassette tests/cassettes/test_app/test_onboard.yaml, interaction 2, "
        "GET /v1/users/{user_id}: 'email' is missing; "
        "the cassette predates the current spec: re-record it"
    )


def test_many_problems_are_summarised() -> None:
    def strip(body: dict[str, Any]) -> None:
        body["items"] = [{k: v for k, v in body["items"][0].items() if k != "email"}] * 5

    found = problems(with_body(LIST, strip))
    assert found == [
        "items[0]: 'email' is missing",
        "items[1]: 'email' is missing",
        "items[2]: 'email' is missing",
        "and 2 more problems in the response body",
    ]


# ---- agreement with openapi-core ------------------------------------------------------

_OPENAPI_CORE = OpenAPI.from_dict(copy.deepcopy(openapi.load_spec()))


def _core_accepts(exchange: Exchange) -> bool:
    request = MockRequest("http://127.0.0.1:8000", exchange.method.lower(),
                          exchange.uri.split("users-api.test", 1)[1].split("?")[0])  # fmt: skip
    body = exchange.response_body or ""
    response = MockResponse(
        body.encode() if isinstance(body, str) else body,
        status_code=exchange.status,
        content_type=exchange.response_headers.get("content-type", "application/json"),
    )
    try:
        _OPENAPI_CORE.validate_response(request, response)
    except Exception:
        return False
    return True


def _mutations(exchange: Exchange) -> list[Exchange]:
    """Drop each required field of a recorded user, and break each one's type."""
    variants = []
    for name in _user_of(json.loads(exchange.response_body or "{}")):
        variants.append(with_body(exchange, lambda b, n=name: _user_of(b).pop(n)))
        variants.append(with_body(exchange, lambda b, n=name: _user_of(b).update({n: [[1]]})))
    return variants


def _user_of(body: dict[str, Any]) -> dict[str, Any]:
    return body["items"][0] if body.get("items") else body


@pytest.mark.parametrize("exchange", [GET_USER, LIST], ids=["user", "page"])
def test_agrees_with_openapi_core_on_every_field(exchange: Exchange) -> None:
    variants = _mutations(exchange)
    assert len(variants) >= 30
    disagreements = [
        (json.loads(v.response_body or "")) for v in variants
        if (problems(v) == []) != _core_accepts(v)
    ]  # fmt: skip
    assert disagreements == []
    assert all(problems(v) for v in variants)  # every one of them is drift


def test_a_recording_mismatch_quotes_no_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    from users_sdk.testing import _scrub

    secret = "tok_live_secret_0123456789"
    monkeypatch.setattr(_scrub, "recorded_origins", {"http://127.0.0.1:5555"})
    monkeypatch.setattr(_scrub, "recorded_secrets", {secret})
    recording = dataclasses.replace(
        with_body(GET_USER, lambda b: b.update(first_name=[secret])),
        uri=GET_USER.uri.replace("http://users-api.test", "http://127.0.0.1:5555"),
    )
    [mismatch] = mismatches("c.yaml", [(1, recording)])
    assert "'first_name' is ['<REDACTED>'], expected a string or null" in mismatch.message()
    assert secret not in mismatch.message()
