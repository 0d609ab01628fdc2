"""Test mode: forced statuses, queued faults, reset, outbox; and its absence outside test mode."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest
from users_server import Settings, create_app

from .helpers import OWNER, assert_problem, create_user


@pytest.mark.parametrize(("status", "retry_after"), [(429, "1"), (503, "1"), (500, None)])
def test_prefer_code_forces_a_status(api: httpx2.Client, status: int, retry_after: str) -> None:
    response = api.post(
        "/v1/users",
        json={"email": "x@example.com"},
        headers=OWNER | {"Prefer": f"code={status}"},
    )
    problem = assert_problem(response, status)
    assert "Forced" in problem["detail"]
    assert response.headers.get("retry-after") == retry_after
    # The request was not processed.
    assert len(api.get("/v1/users", headers=OWNER).json()["items"]) == 2


def test_prefer_comes_before_auth_and_in_lists(api: httpx2.Client) -> None:
    response = api.get("/v1/users", headers={"Prefer": "dynamic=true, code=429"})
    assert_problem(response, 429)
    assert_problem(api.get("/v1/users", headers={"Prefer": "code=200"}), 400)
    assert_problem(api.get("/v1/users", headers={"Prefer": "code=abc"}), 400)
    # Other preferences are none of our business.
    assert api.get("/v1/users", headers=OWNER | {"Prefer": "return=minimal"}).status_code == 200


def test_queued_faults_then_success(api: httpx2.Client) -> None:
    response = api.post("/_test/faults", json={"status": 503, "count": 2, "retry_after": "2"})
    assert response.json() == {"pending": 2}
    # /_test requests do not use them up.
    assert api.get("/_test/outbox").status_code == 200
    for _ in range(2):
        failed = api.get("/v1/users/me", headers=OWNER)
        assert_problem(failed, 503)
        assert failed.headers["retry-after"] == "2"
    assert api.get("/v1/users/me", headers=OWNER).status_code == 200


def test_fault_defaults_and_clearing(api: httpx2.Client) -> None:
    api.post("/_test/faults", json={"status": 429}).raise_for_status()
    response = api.get("/v1/users/me", headers=OWNER)
    assert_problem(response, 429)
    assert response.headers["retry-after"] == "1"
    api.post("/_test/faults", json={"status": 500, "count": 5}).raise_for_status()
    assert api.delete("/_test/faults").status_code == 204
    assert api.get("/v1/users/me", headers=OWNER).status_code == 200


@pytest.mark.parametrize(
    "body", [{}, {"status": 200}, {"status": 600}, {"status": 503, "count": 0}, {"status": "503"}]
)
def test_bad_fault_requests_are_422(api: httpx2.Client, body: dict[str, object]) -> None:
    assert_problem(api.post("/_test/faults", json=body), 422)


def test_reset_restores_the_seeded_state(api: httpx2.Client) -> None:
    create_user(api, email="a@example.com", send_invite=True)
    api.post("/_test/faults", json={"status": 503, "count": 3}).raise_for_status()
    assert api.post("/_test/reset").status_code == 204
    outbox = api.get("/_test/outbox")
    assert outbox.headers["x-request-id"] == "req_test"  # test-mode calls use no request id
    assert outbox.json() == []
    after = api.get("/v1/users", headers=OWNER)
    assert after.status_code == 200  # the faults are gone too
    assert after.headers["x-request-id"] == "req_000001"  # counters restart
    assert [u["email"] for u in after.json()["items"]] == [
        "viewer@example.com",
        "owner@example.com",
    ]
    assert create_user(api, email="a@example.com")["id"] == "usr_0003"


def test_outbox_filters(api: httpx2.Client) -> None:
    create_user(api, email="a@example.com", send_invite=True)
    api.post("/v1/users/reset-password", json={"email": "viewer@example.com"})
    assert len(api.get("/_test/outbox").json()) == 2
    assert [m["kind"] for m in api.get("/_test/outbox?kind=invitation").json()] == ["invitation"]
    assert [m["email"] for m in api.get("/_test/outbox?email=VIEWER@example.com").json()] == [
        "viewer@example.com"
    ]


def test_clock_moves_forward(api: httpx2.Client) -> None:
    response = api.post("/_test/clock", json={"advance_seconds": 86400})
    assert response.json() == {"now": "2026-01-02T00:00:02Z"}
    assert create_user(api, email="a@example.com")["created_at"] == "2026-01-02T00:00:02Z"
    assert_problem(api.post("/_test/clock", json={"advance_seconds": -1}), 422)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def production() -> AsyncIterator[httpx2.AsyncClient]:
    app = create_app(Settings())
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    app.state.server.close()


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_test/outbox"),
        ("POST", "/_test/reset"),
        ("POST", "/_test/faults"),
        ("DELETE", "/_test/faults"),
        ("POST", "/_test/clock"),
        ("POST", "/_test/tokens"),
        ("POST", "/_test/tokens/revoke"),
        ("POST", "/_test/tokens/rotate"),
    ],
)
async def test_no_test_routes_outside_test_mode(
    production: httpx2.AsyncClient, method: str, path: str
) -> None:
    response = await production.request(method, path, json={"status": 503})
    assert_problem(response, 404)


@pytest.mark.anyio
async def test_no_forced_statuses_outside_test_mode(production: httpx2.AsyncClient) -> None:
    response = await production.get("/v1/users/me", headers=OWNER | {"Prefer": "code=503"})
    assert response.status_code == 200
    # Random ids and real time outside deterministic mode.
    assert response.json()["id"] != "usr_0001"
    assert response.headers["x-request-id"] != "req_000001"
