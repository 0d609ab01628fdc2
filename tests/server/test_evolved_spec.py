"""An additive change of openapi.yaml is served without touching the server's code.

The server here is started from an evolved copy of the spec (written to a
temporary folder) with four changes that need no new behaviour: a nullable
field on User, UserCreate and UserUpdate; a field on User only; a new value
in each enum; and a listUsers filter that nothing implements.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from users_server import Settings, run_server

from .helpers import OWNER, assert_problem

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
X_NICKNAME = {"type": ["string", "null"], "maxLength": 40}


def evolve(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    # (a) settable on create and update, nullable, required on User like its neighbours.
    for name in ("User", "UserCreate", "UserUpdate"):
        schemas[name]["properties"]["x_nickname"] = dict(X_NICKNAME)
    schemas["User"]["required"].append("x_nickname")
    # (b) on User only, and optional: nothing writes it yet.
    schemas["User"]["properties"]["x_timezone"] = {"type": ["string", "null"]}
    # (c) one more value in each enum.
    schemas["UserRole"]["enum"].append("x_auditor")
    schemas["UserStatus"]["enum"].append("x_pending_approval")
    # (d) a filter with no implementation.
    spec["paths"]["/v1/users"]["get"]["parameters"].append(
        {"name": "x_timezone", "in": "query", "schema": {"type": "string", "minLength": 1}}
    )
    return spec


@pytest.fixture(scope="module")
def evolved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx2.Client]:
    path = tmp_path_factory.mktemp("spec") / "openapi.yaml"
    original = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(evolve(original), sort_keys=False), encoding="utf-8")
    settings = Settings(port=0, deterministic=True, test_mode=True, spec=path)
    with run_server(settings) as url, httpx2.Client(base_url=url, timeout=10) as client:
        yield client


@pytest.fixture
def client(evolved: httpx2.Client) -> httpx2.Client:
    evolved.post("/_test/reset").raise_for_status()
    return evolved


def create(client: httpx2.Client, **fields: Any) -> dict[str, Any]:
    response = client.post("/v1/users", json=fields, headers=OWNER)
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


def listed(client: httpx2.Client, params: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.get("/v1/users", params=params, headers=OWNER)
    assert response.status_code == 200, response.text
    return {user["id"]: user for user in response.json()["items"]}


# -- (a) a new nullable field on User, UserCreate and UserUpdate ---------------


def test_new_field_is_null_when_not_set(client: httpx2.Client) -> None:
    user = create(client, email="ada@example.com")
    assert user["x_nickname"] is None
    assert client.get(f"/v1/users/{user['id']}", headers=OWNER).json()["x_nickname"] is None
    assert listed(client)[user["id"]]["x_nickname"] is None
    # The seeded users have it too (they are created through the same body).
    assert client.get("/v1/users/me", headers=OWNER).json()["x_nickname"] is None


def test_new_field_is_set_on_create_and_returned_everywhere(client: httpx2.Client) -> None:
    user = create(client, email="ada@example.com", x_nickname="Countess")
    assert user["x_nickname"] == "Countess"
    assert client.get(f"/v1/users/{user['id']}", headers=OWNER).json() == user
    assert listed(client)[user["id"]] == user


def test_new_field_is_updated_and_cleared(client: httpx2.Client) -> None:
    user = create(client, email="ada@example.com", x_nickname="Countess")
    path = f"/v1/users/{user['id']}"
    changed = client.patch(path, json={"x_nickname": "Ada"}, headers=OWNER).json()
    assert (changed["x_nickname"], changed["version"]) == ("Ada", 2)
    # Merge-patch: leaving it out keeps it.
    other = client.patch(path, json={"department": "R&D"}, headers=OWNER).json()
    assert (other["x_nickname"], other["version"]) == ("Ada", 3)
    cleared = client.patch(path, json={"x_nickname": None}, headers=OWNER).json()
    assert (cleared["x_nickname"], cleared["version"]) == (None, 4)
    assert client.get(path, headers=OWNER).json() == cleared
    assert listed(client)[user["id"]]["x_nickname"] is None


@pytest.mark.parametrize(
    ("x_nickname", "code"),
    [("x" * 41, "string_too_long"), (7, "string_type"), (["Ada"], "string_type")],
)
def test_new_field_is_validated_as_declared(
    client: httpx2.Client, x_nickname: object, code: str
) -> None:
    for response in (
        client.post(
            "/v1/users", json={"email": "a@example.com", "x_nickname": x_nickname}, headers=OWNER
        ),
        client.patch("/v1/users/usr_0002", json={"x_nickname": x_nickname}, headers=OWNER),
    ):
        errors = assert_problem(response, 422)["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("x_nickname", code)]


def test_fields_are_shown_in_the_specs_order(client: httpx2.Client) -> None:
    user = create(client, email="ada@example.com")
    declared = evolve(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    schema = declared["components"]["schemas"]["User"]
    # Every required field, in the spec's order; optional ones without a value
    # (x_timezone here) are left out, not null.
    assert list(user) == [name for name in schema["properties"] if name in schema["required"]]
    assert "x_nickname" in user
    assert "x_timezone" not in user


# -- (b) a new optional field on User only ------------------------------------


def test_field_only_on_user_is_absent_and_not_writable(client: httpx2.Client) -> None:
    """An optional field with no value is left out (as recorded cassettes expect)."""
    user = create(client, email="ada@example.com", x_timezone="Europe/London")
    assert "x_timezone" not in user  # not in UserCreate: an unknown field, ignored
    path = f"/v1/users/{user['id']}"
    unchanged = client.patch(path, json={"x_timezone": "Europe/Paris"}, headers=OWNER).json()
    assert ("x_timezone" in unchanged, unchanged["version"]) == (False, 1)
    assert "x_timezone" not in client.get(path, headers=OWNER).json()
    assert "x_timezone" not in listed(client)[user["id"]]


# -- (c) new enum values ------------------------------------------------------


def test_new_enum_values_on_create_update_and_filters(client: httpx2.Client) -> None:
    x_auditor = create(
        client, email="audit@example.com", role="x_auditor", status="x_pending_approval"
    )
    assert (x_auditor["role"], x_auditor["status"]) == ("x_auditor", "x_pending_approval")
    member = create(client, email="bob@example.com")
    promoted = client.patch(
        f"/v1/users/{member['id']}",
        json={"role": "x_auditor", "status": "x_pending_approval"},
        headers=OWNER,
    ).json()
    assert (promoted["role"], promoted["status"]) == ("x_auditor", "x_pending_approval")
    ids = {x_auditor["id"], member["id"]}
    assert set(listed(client, {"role": "x_auditor"})) == ids
    assert set(listed(client, {"status": "x_pending_approval"})) == ids
    assert set(listed(client, {"role": ["x_auditor", "viewer"]})) == ids | {"usr_0002"}


def test_values_outside_the_evolved_enums_are_still_refused(client: httpx2.Client) -> None:
    roles = evolve(yaml.safe_load(SPEC.read_text(encoding="utf-8")))["components"]["schemas"][
        "UserRole"
    ]["enum"]
    assert roles[-1] == "x_auditor"
    quoted = [f"'{role}'" for role in roles]
    expected = f"Input should be {', '.join(quoted[:-1])} or {quoted[-1]}"
    body = assert_problem(client.get("/v1/users", params={"role": "king"}, headers=OWNER), 422)
    assert body["errors"] == [
        {"field": "query.role.0", "message": expected, "code": "literal_error"}
    ]
    response = client.post(
        "/v1/users", json={"email": "a@example.com", "role": "king"}, headers=OWNER
    )
    assert assert_problem(response, 422)["errors"][0]["message"] == expected


# -- (d) a new listUsers parameter with no implementation ---------------------


def test_unimplemented_filter_is_ignored(client: httpx2.Client) -> None:
    create(client, email="ada@example.com")
    everyone = client.get("/v1/users", headers=OWNER).json()
    filtered = client.get("/v1/users", params={"x_timezone": "Europe/London"}, headers=OWNER)
    assert filtered.status_code == 200
    assert filtered.json() == everyone


def test_unimplemented_filter_still_has_the_specs_bounds(client: httpx2.Client) -> None:
    # Ignored, but not unchecked: a value the spec refuses is a 422 like any other.
    response = client.get("/v1/users", params={"x_timezone": ""}, headers=OWNER)
    assert assert_problem(response, 422)["errors"][0]["field"] == "query.x_timezone"


# -- the same requests against the repository's spec --------------------------


def test_the_repository_spec_knows_none_of_it(api: httpx2.Client) -> None:
    """The server of the other tests, from openapi.yaml: the changes above come from the spec."""
    user = create(api, email="ada@example.com", x_nickname="Countess")
    assert "x_nickname" not in user
    assert "x_timezone" not in user
    response = api.post(
        "/v1/users", json={"email": "b@example.com", "role": "x_auditor"}, headers=OWNER
    )
    assert assert_problem(response, 422)["errors"][0]["code"] == "literal_error"
    response = api.get("/v1/users", params={"status": "x_pending_approval"}, headers=OWNER)
    assert assert_problem(response, 422)["errors"][0]["field"] == "query.status.0"
