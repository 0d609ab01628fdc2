"""A spec ahead of the server: its new operations are a 501 that names them.

The server here is started from a copy of openapi.yaml (in a temporary folder)
with operations nobody implemented: one more on the users resource
(`POST /v1/users/{user_id}/suspend`), a new tagged resource with a cursor-paginated
list (`GET /v1/sessions`), a literal path next to a template
(`GET /v1/users/export` beside `/v1/users/{user_id}`) and a new method on an
implemented path (`PUT /v1/users/{user_id}`). The existing operations must
answer exactly as the server of the repository's spec does.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from users_server import RunningServer, Settings, serve_in_thread
from users_server.spec import Operation, locate_spec

from .helpers import OWNER, OWNER_ID, VIEWER, assert_problem
from .not_implemented import exclusion_options, not_implemented_report, skip_reason

ORIGINAL = yaml.safe_load(locate_spec().read_text(encoding="utf-8"))
PROBLEMS = {
    status: {"$ref": f"#/components/responses/{name}"}
    for status, name in [("401", "Unauthorized"), ("404", "NotFound"), ("409", "Conflict")]
}
# (operationId, method, path) of what `evolve` adds, in the spec's order.
NEW = [
    ("listSessions", "GET", "/v1/sessions"),
    ("exportUsers", "GET", "/v1/users/export"),
    ("suspendUser", "POST", "/v1/users/{user_id}/suspend"),
    ("replaceUser", "PUT", "/v1/users/{user_id}"),
]


def _user_response(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/User"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def evolve(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    spec["tags"].append({"name": "sessions", "description": "Sign-in sessions."})
    schemas["Session"] = {
        "type": "object",
        "required": ["id", "user_id"],
        "properties": {"id": {"type": "string"}, "user_id": {"type": "string"}},
    }
    schemas["SessionPage"] = {
        "type": "object",
        "required": ["items", "limit", "next_cursor", "previous_cursor"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
            "limit": {"type": "integer"},
            "next_cursor": {"type": ["string", "null"]},
            "previous_cursor": {"type": ["string", "null"]},
        },
    }
    page = {"$ref": "#/components/schemas/SessionPage"}
    new_paths = {
        "/v1/sessions": {
            "get": {
                "operationId": "listSessions",
                "tags": ["sessions"],
                "summary": "List sessions",
                "parameters": [
                    {"$ref": "#/components/parameters/Limit"},
                    {"$ref": "#/components/parameters/Cursor"},
                ],
                "responses": {
                    "200": {
                        "description": "One page of sessions.",
                        "content": {"application/json": {"schema": page}},
                    },
                    "401": PROBLEMS["401"],
                },
            }
        },
        # Before /v1/users/{user_id} in the spec, as a literal path would be written.
        "/v1/users/export": {
            "get": {
                "operationId": "exportUsers",
                "tags": ["users"],
                "summary": "Export users",
                "responses": {"200": _user_response("Every user."), "401": PROBLEMS["401"]},
            }
        },
        "/v1/users/{user_id}/suspend": {
            "parameters": [{"$ref": "#/components/parameters/UserId"}],
            "post": {
                "operationId": "suspendUser",
                "tags": ["users"],
                "summary": "Suspend a user",
                "responses": {"200": _user_response("The suspended user."), **PROBLEMS},
            },
        },
    }
    paths["/v1/users/{user_id}"]["put"] = {
        "operationId": "replaceUser",
        "tags": ["users"],
        "summary": "Replace a user",
        "responses": {"200": _user_response("The replaced user."), **PROBLEMS},
    }
    spec["paths"] = {**new_paths, **paths}
    return spec


def write_spec(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def evolved_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_spec(tmp_path_factory.mktemp("spec") / "openapi.yaml", evolve(ORIGINAL))


@pytest.fixture(scope="module")
def evolved(evolved_spec: Path) -> Iterator[RunningServer]:
    with serve_in_thread(
        Settings(port=0, deterministic=True, test_mode=True, spec=evolved_spec)
    ) as s:
        yield s


@pytest.fixture
def client(evolved: RunningServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=evolved.base_url, timeout=10) as client:
        client.post("/_test/reset").raise_for_status()
        yield client


def labels(operations: tuple[Operation, ...]) -> list[tuple[str | None, str, str]]:
    return [(op.operation_id, op.method, op.path) for op in operations]


# -- which operations are not implemented --------------------------------------


@pytest.fixture(scope="module")
def pending() -> list[tuple[str | None, str, str]]:
    """What the repository's spec itself has that the server lacks: none, until
    a maintainer adds an operation to openapi.yaml and regenerates (then those,
    and `make test` must still pass with no other edit)."""
    with serve_in_thread(Settings(port=0)) as running:
        return labels(running.unimplemented)


def test_exactly_the_new_operations_are_unimplemented(
    evolved: RunningServer, pending: list[tuple[str | None, str, str]]
) -> None:
    # A set: the repository's own spec may already have some of NEW (a rehearsal).
    assert sorted(labels(evolved.unimplemented), key=str) == sorted({*NEW, *pending}, key=str)


def test_the_repository_spec_is_served_or_answered_501() -> None:
    """Each operation of openapi.yaml gets an answer of its own handler, or the
    501 naming it: never the 404 of a route that is missing."""
    document = ORIGINAL
    with (
        serve_in_thread(Settings(port=0, test_mode=True)) as running,
        httpx2.Client(base_url=running.base_url) as http,
    ):
        missing = {(op.method, op.path) for op in running.unimplemented}
        for path, item in document["paths"].items():
            for method in ("get", "put", "post", "patch", "delete"):
                if method not in item:
                    continue
                url = re.sub(r"\{[^}]+\}", OWNER_ID, path)
                response = http.request(method.upper(), url, headers=OWNER, json={})
                expected_501 = (method.upper(), path) in missing
                assert (response.status_code == 501) == expected_501, (method, path)


# -- the 501 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("POST", "/v1/users/usr_0002/suspend", "suspendUser (POST /v1/users/{user_id}/suspend)"),
        ("GET", "/v1/sessions", "listSessions (GET /v1/sessions)"),
        ("GET", "/v1/sessions?limit=5&cursor=abc", "listSessions (GET /v1/sessions)"),
        ("GET", "/v1/users/export", "exportUsers (GET /v1/users/export)"),
        ("PUT", "/v1/users/usr_0002", "replaceUser (PUT /v1/users/{user_id})"),
        # The user need not exist: nothing looks it up.
        ("POST", "/v1/users/nobody/suspend", "suspendUser (POST /v1/users/{user_id}/suspend)"),
    ],
)
def test_a_new_operation_is_a_501_naming_it(
    client: httpx2.Client, method: str, path: str, name: str
) -> None:
    response = client.request(method, path, headers=OWNER, json={})
    body = assert_problem(response, 501)
    assert body["type"] == "https://users.example.com/problems/not-implemented"
    assert body["title"] == "Not Implemented"
    assert body["instance"] == path.partition("?")[0]
    assert name in body["detail"]
    assert "does not implement" in body["detail"]


def test_a_viewer_gets_the_501_too(client: httpx2.Client) -> None:
    # The role is the handler's to check, and there is no handler yet.
    response = client.post("/v1/users/usr_0002/suspend", headers=VIEWER)
    assert "suspendUser" in assert_problem(response, 501)["detail"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"X-API-Key": "no"}])
def test_the_credential_is_checked_first(client: httpx2.Client, headers: dict[str, str]) -> None:
    for method, path in [("GET", "/v1/sessions"), ("POST", "/v1/users/usr_0002/suspend")]:
        response = client.request(method, path, headers=headers)
        assert assert_problem(response, 401)
        assert "WWW-Authenticate" in response.headers


def test_a_public_new_operation_needs_no_credential(tmp_path: Path) -> None:
    spec = evolve(ORIGINAL)
    spec["paths"]["/v1/users/{user_id}/suspend"]["post"]["security"] = []
    settings = Settings(port=0, spec=write_spec(tmp_path / "openapi.yaml", spec))
    with serve_in_thread(settings) as running, httpx2.Client(base_url=running.base_url) as http:
        assert_problem(http.post("/v1/users/usr_0001/suspend"), 501)
        assert_problem(http.get("/v1/sessions"), 401)


# -- paths: nothing shadowed, unknown paths unchanged ----------------------------


def test_a_method_the_spec_does_not_declare_is_a_405(client: httpx2.Client) -> None:
    # Every method the spec declares, implemented or not, is in the Allow header.
    response = client.get("/v1/users/usr_0002/suspend", headers=OWNER)
    assert assert_problem(response, 405)["detail"] == (
        "GET is not allowed on /v1/users/usr_0002/suspend."
    )
    assert response.headers["allow"] == "POST"
    response = client.post("/v1/sessions", headers=OWNER)
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET"
    response = client.post("/v1/users/usr_0002", headers=OWNER)
    assert_problem(response, 405)
    assert response.headers["allow"] == "DELETE, GET, PATCH, PUT"


def test_a_literal_path_beats_the_new_template(client: httpx2.Client) -> None:
    # PUT is new on /v1/users/{user_id}, not on /v1/users/me: that stays a 405.
    for path in ("/v1/users/me", "/v1/users/reset-password", "/v1/users/set-password"):
        response = client.put(path, headers=OWNER)
        assert_problem(response, 405)
        assert "PUT" not in response.headers["allow"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/session",
        "/v1/sessions/",
        "/v1/sessions/ses_1",
        "/v1/users/usr_0002/suspend/now",
        "/v1/users/usr_0002/suspended",
        "/v1/users//suspend",
        "/v1/users/usr_0002%2Fsuspend",
        "/v2/sessions",
    ],
)
def test_paths_the_spec_does_not_declare_are_404s(
    client: httpx2.Client, api: httpx2.Client, path: str
) -> None:
    ours, theirs = client.get(path, headers=OWNER), api.get(path, headers=OWNER)
    assert_problem(ours, 404)
    assert ours.json()["detail"] == theirs.json()["detail"]


# -- the existing operations are unchanged ---------------------------------------


def comparable(response: httpx2.Response) -> tuple[int, str, Any]:
    body = response.json() if response.content else None
    return response.status_code, response.headers.get("content-type", ""), body


@pytest.mark.parametrize(
    ("method", "path", "body", "headers"),
    [
        ("GET", "/v1/users", None, OWNER),
        ("GET", "/v1/users?limit=1", None, OWNER),
        ("GET", "/v1/users/me", None, OWNER),
        ("GET", f"/v1/users/{OWNER_ID}", None, OWNER),
        ("GET", "/v1/users/export", None, OWNER),  # ours: 501, theirs: no user "export"
        ("PATCH", "/v1/users/usr_0002", {"department": "R&D"}, OWNER),
        ("PATCH", "/v1/users/usr_0002", {"department": "R&D"}, VIEWER),
        ("POST", "/v1/users", {"email": "ada@example.com"}, OWNER),
        ("POST", "/v1/users", {"email": 7}, OWNER),
        ("POST", "/v1/users/usr_0002/invite", None, OWNER),
        ("DELETE", "/v1/users/usr_0002", None, OWNER),
        ("GET", "/v1/users/nobody", None, OWNER),
        ("POST", "/v1/users/reset-password", {"email": "owner@example.com"}, {}),
        ("POST", "/v1/users/set-password", {"reset_token": "x" * 20, "password": "p" * 12}, {}),
        ("GET", "/v1/users", None, {}),
        ("DELETE", "/v1/users", None, OWNER),
    ],
)
def test_existing_operations_answer_as_before(
    client: httpx2.Client,
    api: httpx2.Client,
    method: str,
    path: str,
    body: Any,
    headers: dict[str, str],
) -> None:
    ours = client.request(method, path, json=body, headers=headers)
    theirs = api.request(method, path, json=body, headers=headers)
    if path == "/v1/users/export":
        assert (ours.status_code, theirs.status_code) == (501, 404)
        return
    assert comparable(ours) == comparable(theirs)
    assert ours.headers.get("allow") == theirs.headers.get("allow")


# -- the conformance battery leaves them out ---------------------------------------


def test_the_batterys_selection(evolved: RunningServer) -> None:
    unimplemented = evolved.unimplemented
    assert exclusion_options(unimplemented) == [
        f"--exclude-operation-id={op.operation_id}" for op in unimplemented
    ]
    assert {f"--exclude-operation-id={i}" for i, _, _ in NEW} <= set(
        exclusion_options(unimplemented)
    )
    nameless = Operation(None, "POST", "/v1/users/{user_id}/archive", public=False)
    assert exclusion_options((nameless,)) == ["--exclude-name=POST /v1/users/{user_id}/archive"]
    assert skip_reason("POST /v1/users/{user_id}/suspend", unimplemented) == (
        "suspendUser (POST /v1/users/{user_id}/suspend) is not implemented by the server yet (501)"
    )
    assert skip_reason("POST /v1/users/{user_id}/invite", unimplemented) is None
    assert skip_reason("GET /v1/users/{user_id}", unimplemented) is None
    report = not_implemented_report(unimplemented)
    assert all(f"{op_id} ({m} {p})" in report for op_id, m, p in NEW)
    assert not_implemented_report(()) == "Not implemented by the server (not tested): none"


def test_the_battery_on_a_spec_ahead_of_the_server(
    evolved_spec: Path, tmp_path: Path, pending: list[tuple[str | None, str, str]]
) -> None:
    """Both conformance runs, small, on the evolved spec: the new operations are
    skipped (the plugin) and excluded (the command), everything else passes."""
    battery = Path(__file__).with_name("test_schemathesis.py")
    env = os.environ | {
        "USERS_CONFORMANCE_SPEC": str(evolved_spec),
        "USERS_CONFORMANCE_EXAMPLES": "1",
    }
    command = [sys.executable, "-m", "pytest", str(battery), "-p", "no:cacheprovider", "-q", "-s"]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for operation_id, method, path in NEW:
        assert f"{operation_id} ({method} {path}) is not implemented by the server yet" in output
        assert f"  {operation_id} ({method} {path})" in output  # the printed list
    summary = result.stdout.strip().splitlines()[-1]
    assert f"{len({*NEW, *pending})} skipped" in summary, summary
    assert "failed" not in summary, summary
