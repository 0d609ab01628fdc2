"""Bounds and defaults of listUsers' query parameters and of the password bodies are the spec's.

The server here is started from a copy of openapi.yaml whose bounds and
defaults were changed; each test sends the same request to it and to the
shared server (the repository's spec), and the answers differ as the specs
do, with no code edit in between.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from users_server import Settings, create_app, run_server
from users_server.spec import SpecError

from .helpers import OWNER, assert_problem, create_user

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
ORIGINAL = yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def list_parameters(spec: dict[str, Any]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = spec["paths"]["/v1/users"]["get"]["parameters"]
    return parameters


def query_parameter(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """listUsers' parameter `name`, where it is declared (its component, for a `$ref`)."""
    for raw in list_parameters(spec):
        ref = raw.get("$ref", "")
        parameter = spec["components"]["parameters"][ref.rsplit("/", 1)[-1]] if ref else raw
        if parameter["name"] == name:
            return parameter
    raise KeyError(name)


def schema_property(spec: dict[str, Any], schema: str, name: str) -> dict[str, Any]:
    prop: dict[str, Any] = spec["components"]["schemas"][schema]["properties"][name]
    return prop


# Derived from the repository's values, so that a change there needs no edit here.
LIMIT_MAX = query_parameter(ORIGINAL, "limit")["schema"]["maximum"] // 2  # 100 -> 50
PASSWORD_MIN = schema_property(ORIGINAL, "PasswordSet", "password")["minLength"] + 4  # 12 -> 16
# Shorter than a cursor of the default sort (~160 characters), longer than a stored one's.
CURSOR_MAX = 80


def evolve(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    limit = query_parameter(spec, "limit")["schema"]
    limit["maximum"], limit["default"] = LIMIT_MAX, 7
    query_parameter(spec, "sort")["schema"]["default"] = "email:asc"
    query_parameter(spec, "q")["schema"]["maxLength"] = 10
    query_parameter(spec, "cursor")["schema"]["maxLength"] = CURSOR_MAX
    query_parameter(spec, "group")["schema"]["pattern"] = "^[a-z]+$"
    # account_id moves behind a $ref of its own; email_domain to the path's parameters.
    account_id = query_parameter(spec, "account_id")
    account_id["schema"]["maxLength"] = 8
    list_parameters(spec).remove(account_id)
    spec["components"]["parameters"]["XAccountIdFilter"] = account_id
    list_parameters(spec).append({"$ref": "#/components/parameters/XAccountIdFilter"})
    email_domain = query_parameter(spec, "email_domain")
    list_parameters(spec).remove(email_domain)
    email_domain["schema"]["maxLength"] = 11
    spec["paths"]["/v1/users"]["parameters"] = [email_domain]
    # A filter the server does not implement, of a kind it could not even read.
    list_parameters(spec).append(
        {"name": "x_min_score", "in": "query", "schema": {"type": "number"}}
    )
    schema_property(spec, "PasswordSet", "password")["minLength"] = PASSWORD_MIN
    schema_property(spec, "PasswordSet", "reset_token")["maxLength"] = 20
    schema_property(spec, "PasswordResetRequest", "email")["maxLength"] = 20
    return spec


def write_spec(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def evolved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx2.Client]:
    path = write_spec(tmp_path_factory.mktemp("spec") / "openapi.yaml", evolve(ORIGINAL))
    settings = Settings(port=0, deterministic=True, test_mode=True, spec=path)
    with run_server(settings) as url, httpx2.Client(base_url=url, timeout=10) as client:
        yield client


@pytest.fixture
def client(evolved: httpx2.Client) -> httpx2.Client:
    evolved.post("/_test/reset").raise_for_status()
    return evolved


def errors(response: httpx2.Response) -> list[tuple[str, str, str]]:
    body = assert_problem(response, 422)
    return [(e["field"], e["message"], e["code"]) for e in body["errors"]]


def listing(client: httpx2.Client, **params: Any) -> httpx2.Response:
    return client.get("/v1/users", params=params, headers=OWNER)


# -- listUsers ----------------------------------------------------------------


def test_the_limit_maximum(client: httpx2.Client, api: httpx2.Client) -> None:
    assert listing(api, limit=LIMIT_MAX + 1).status_code == 200
    assert errors(listing(client, limit=LIMIT_MAX + 1)) == [
        ("query.limit", f"Input should be less than or equal to {LIMIT_MAX}", "less_than_equal")
    ]
    assert listing(client, limit=LIMIT_MAX).json()["limit"] == LIMIT_MAX


def test_the_limit_default(client: httpx2.Client, api: httpx2.Client) -> None:
    assert listing(api).json()["limit"] == 20
    assert listing(client).json()["limit"] == 7


def test_the_sort_default(client: httpx2.Client, api: httpx2.Client) -> None:
    for server in (client, api):
        for email in ("zed@example.com", "ada@example.com"):
            create_user(server, email=email)

    def emails(response: httpx2.Response) -> list[str]:
        return [user["email"] for user in response.json()["items"]]

    newest_first = ["ada@example.com", "zed@example.com", "viewer@example.com", "owner@example.com"]
    by_email = sorted(newest_first)
    assert emails(listing(api)) == newest_first
    assert emails(listing(client)) == by_email
    # An empty `sort=` means the default too.
    assert emails(listing(api, sort="")) == newest_first
    assert emails(listing(client, sort="")) == by_email


def test_the_cursor_max_length_caps_the_cursors_issued(
    client: httpx2.Client, api: httpx2.Client
) -> None:
    """A cursor the server issues is one it accepts back: it is stored when it would not fit."""
    assert len(listing(api, limit=1).json()["next_cursor"]) > CURSOR_MAX
    first = listing(client, limit=1).json()
    assert len(first["next_cursor"]) <= CURSOR_MAX
    second = listing(client, limit=1, cursor=first["next_cursor"]).json()
    everyone = [user["id"] for user in listing(client).json()["items"]]
    assert [user["id"] for user in first["items"] + second["items"]] == everyone[:2]
    assert errors(listing(client, cursor="c" * (CURSOR_MAX + 1))) == [
        ("query.cursor", f"String should have at most {CURSOR_MAX} characters", "string_too_long")
    ]


def test_a_text_bound_and_a_new_pattern(client: httpx2.Client, api: httpx2.Client) -> None:
    assert listing(api, q="x" * 11, group="R&D").status_code == 200
    assert errors(listing(client, q="x" * 11, group="R&D")) == [
        ("query.q", "String should have at most 10 characters", "string_too_long"),
        ("query.group", "String should match pattern '^[a-z]+$'", "string_pattern_mismatch"),
    ]


def test_a_parameter_behind_a_new_ref_and_one_of_the_path(
    client: httpx2.Client, api: httpx2.Client
) -> None:
    params = {"account_id": "acc_00001", "email_domain": "example.info"}
    assert listing(api, **params).status_code == 200
    assert errors(listing(client, **params)) == [
        # The path's parameters come first: the spec's order, as FastAPI reports it.
        ("query.email_domain", "String should have at most 11 characters", "string_too_long"),
        ("query.account_id", "String should have at most 8 characters", "string_too_long"),
    ]
    # Still implemented, wherever they are declared.
    ada = create_user(client, email="ada@math.org")
    assert [user["id"] for user in listing(client, email_domain="math.org").json()["items"]] == [
        ada["id"]
    ]
    seeded = listing(client, account_id="acc_0001").json()["items"]
    assert {user["email"] for user in seeded} == {"owner@example.com", "viewer@example.com"}


def test_an_unreadable_unimplemented_filter_is_ignored(client: httpx2.Client) -> None:
    everyone = listing(client).json()
    assert listing(client, x_min_score="high").json() == everyone


# -- the password bodies -------------------------------------------------------


def test_the_password_min_length(client: httpx2.Client, api: httpx2.Client) -> None:
    body = {"reset_token": "rst_made_up", "password": "p" * (PASSWORD_MIN - 1)}
    # Long enough for the repository's spec: the made-up token is what fails.
    assert_problem(api.post("/v1/users/set-password", json=body), 400)
    assert errors(client.post("/v1/users/set-password", json=body)) == [
        ("password", f"String should have at least {PASSWORD_MIN} characters", "string_too_short")
    ]
    body["password"] = "p" * PASSWORD_MIN
    assert_problem(client.post("/v1/users/set-password", json=body), 400)


def test_the_token_and_email_max_lengths(client: httpx2.Client, api: httpx2.Client) -> None:
    token = {"reset_token": "rst_" + "x" * 20, "password": "a long enough passphrase"}
    assert_problem(api.post("/v1/users/set-password", json=token), 400)
    assert errors(client.post("/v1/users/set-password", json=token)) == [
        ("reset_token", "String should have at most 20 characters", "string_too_long")
    ]
    email = {"email": "someone.long@example.com"}
    assert api.post("/v1/users/reset-password", json=email).status_code == 202
    assert errors(client.post("/v1/users/reset-password", json=email)) == [
        ("email", "String should have at most 20 characters", "string_too_long")
    ]


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        # A null email is `null_not_allowed`; a null token or password is pydantic's
        # type error, as each answered when the bodies were declared by hand.
        ("reset-password", {"email": None}, [("email", "null_not_allowed")]),
        (
            "set-password",
            {"reset_token": None, "password": None},
            [("reset_token", "string_type"), ("password", "string_type")],
        ),
        ("set-password", {}, [("reset_token", "missing"), ("password", "missing")]),
    ],
)
def test_null_and_missing_answers_are_kept(
    client: httpx2.Client,
    api: httpx2.Client,
    path: str,
    body: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    for server in (api, client):
        found = errors(server.post(f"/v1/users/{path}", json=body))
        assert [(field, code) for field, _, code in found] == expected


# -- specs the server refuses ---------------------------------------------------


def _drop_group(spec: dict[str, Any]) -> None:
    list_parameters(spec).remove(query_parameter(spec, "group"))


def _limit_as_text(spec: dict[str, Any]) -> None:
    query_parameter(spec, "limit")["schema"] = {"type": "string", "default": "20"}


def _limit_without_default(spec: dict[str, Any]) -> None:
    del query_parameter(spec, "limit")["schema"]["default"]


def _limit_as_number(spec: dict[str, Any]) -> None:
    query_parameter(spec, "limit")["schema"]["type"] = "number"


def _role_comma_separated(spec: dict[str, Any]) -> None:
    query_parameter(spec, "role")["explode"] = False


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop_group, r"listUsers\.group: the server implements it, the spec has no such"),
        (_limit_as_text, r"listUsers\.limit: the spec declares a text, the server reads a int"),
        (_limit_without_default, r"listUsers\.limit: the server needs a value"),
        (_limit_as_number, r"listUsers\.limit: a number schema is not supported"),
        (_role_comma_separated, r"listUsers\.role: only an exploded form array"),
    ],
)
def test_a_spec_the_listing_cannot_follow_stops_the_start(
    tmp_path: Path, edit: Any, message: str
) -> None:
    spec = copy.deepcopy(ORIGINAL)
    edit(spec)
    with pytest.raises(SpecError, match=message):
        create_app(Settings(spec=write_spec(tmp_path / "openapi.yaml", spec)))


def test_a_start_the_spec_stops_leaves_no_database_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state opens its database before the routes read the spec: the start
    they stop closes it (left to the garbage collector, Python 3.13 warns)."""
    opened: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def tracked(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sqlite3, "connect", tracked)
    spec = copy.deepcopy(ORIGINAL)
    _role_comma_separated(spec)
    with pytest.raises(SpecError):
        create_app(Settings(spec=write_spec(tmp_path / "openapi.yaml", spec)))
    assert len(opened) == 1
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        opened[0].execute("SELECT 1")


def test_a_required_parameter_without_default_is_required(tmp_path: Path) -> None:
    spec = copy.deepcopy(ORIGINAL)
    _limit_without_default(spec)
    query_parameter(spec, "limit")["required"] = True
    with run_server(Settings(port=0, spec=write_spec(tmp_path / "openapi.yaml", spec))) as url:
        response = httpx2.get(f"{url}/v1/users", headers=OWNER)
        assert errors(response) == [("query.limit", "Field required", "missing")]
        assert httpx2.get(f"{url}/v1/users?limit=3", headers=OWNER).json()["limit"] == 3
