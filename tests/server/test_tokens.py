"""Test mode's bearer tokens: issue, revoke, rotate, reset; deterministic and under load."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from users_server import Settings, create_app

from .helpers import OWNER, OWNER_ID, VIEWER, VIEWER_ID, assert_problem


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def issue(api: httpx2.Client, **body: Any) -> str:
    response = api.post("/_test/tokens", json=body)
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def rotate(api: httpx2.Client, token: str) -> str:
    response = api.post("/_test/tokens/rotate", json={"token": token})
    assert response.status_code == 201, response.text
    assert list(response.json()) == ["token"]
    new: str = response.json()["token"]
    return new


def assert_refused(api: httpx2.Client, token: str) -> None:
    """Exactly the 401 a token that never existed gets."""
    refused = assert_problem(api.get("/v1/users/me", headers=bearer(token)), 401)
    unknown = assert_problem(api.get("/v1/users/me", headers=bearer("never-issued")), 401)
    for body in (refused, unknown):
        del body["request_id"]
    assert refused == unknown


def test_issued_tokens_work_for_their_seeded_user(api: httpx2.Client) -> None:
    owner = api.post("/_test/tokens")  # no body: the owner
    assert owner.status_code == 201
    assert owner.json() == {"token": "tok_test_0001"}
    assert api.get("/v1/users/me", headers=bearer(owner.json()["token"])).json()["id"] == OWNER_ID
    viewer = issue(api, role="viewer")
    assert api.get("/v1/users/me", headers=bearer(viewer)).json()["id"] == VIEWER_ID
    # What a token may do is its user's role, as for the configured tokens.
    create = api.post("/v1/users", json={"email": "x@example.com"}, headers=bearer(viewer))
    assert_problem(create, 403)
    # The configured tokens still work.
    assert api.get("/v1/users/me", headers=OWNER).status_code == 200


def test_revoked_tokens_get_the_401_of_an_unknown_token(api: httpx2.Client) -> None:
    token = issue(api)
    other = issue(api)
    assert api.get("/v1/users/me", headers=bearer(token)).status_code == 200
    assert api.post("/_test/tokens/revoke", json={"token": token}).status_code == 204
    assert_refused(api, token)
    # Only that one.
    assert api.get("/v1/users/me", headers=bearer(other)).status_code == 200
    assert api.get("/v1/users/me", headers=OWNER).status_code == 200


def test_rotation_ends_the_old_token_and_starts_the_new(api: httpx2.Client) -> None:
    old = issue(api, role="viewer")
    new = rotate(api, old)
    assert_refused(api, old)
    assert api.get("/v1/users/me", headers=bearer(new)).json()["id"] == VIEWER_ID
    # A configured token rotates as well.
    owner = rotate(api, "owner-token")
    assert_refused(api, "owner-token")
    assert api.get("/v1/users/me", headers=bearer(owner)).json()["id"] == OWNER_ID


def test_an_idempotency_key_outlives_a_rotation(api: httpx2.Client) -> None:
    # Keys belong to the user's bearer credential, not to one token: a client
    # that refreshes its token and retries gets the replay, not a second user.
    headers = OWNER | {"Idempotency-Key": "k1"}
    first = api.post("/v1/users", json={"email": "a@example.com"}, headers=headers)
    assert first.status_code == 201
    new = rotate(api, "owner-token")
    headers = bearer(new) | {"Idempotency-Key": "k1"}
    again = api.post("/v1/users", json={"email": "a@example.com"}, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


def test_configured_tokens_revoked_until_reset(api: httpx2.Client) -> None:
    issued = issue(api)
    for token in ("owner-token", "viewer-token"):
        assert api.post("/_test/tokens/revoke", json={"token": token}).status_code == 204
        assert_refused(api, token)
    # The API keys are not bearer tokens: untouched.
    assert api.get("/v1/users/me", headers={"X-API-Key": "owner-key"}).status_code == 200
    assert api.post("/_test/reset").status_code == 204
    assert api.get("/v1/users/me", headers=OWNER).status_code == 200
    assert api.get("/v1/users/me", headers=VIEWER).status_code == 200
    assert_refused(api, issued)  # issued tokens are gone


def test_deterministic_tokens_count_from_each_reset(api: httpx2.Client) -> None:
    assert [issue(api), issue(api, role="viewer")] == ["tok_test_0001", "tok_test_0002"]
    assert rotate(api, "tok_test_0001") == "tok_test_0003"
    api.post("/_test/reset").raise_for_status()
    assert issue(api) == "tok_test_0001"
    # Token calls use no request id, so recordings do not shift.
    response = api.get("/v1/users/me", headers=bearer("tok_test_0001"))
    assert response.headers["x-request-id"] == "req_000001"


@pytest.mark.parametrize("path", ["/_test/tokens/revoke", "/_test/tokens/rotate"])
def test_unknown_or_revoked_tokens_are_404(api: httpx2.Client, path: str) -> None:
    assert_problem(api.post(path, json={"token": "never-issued"}), 404)
    # An API key is not a bearer token.
    assert_problem(api.post(path, json={"token": "owner-key"}), 404)
    token = issue(api)
    api.post("/_test/tokens/revoke", json={"token": token}).raise_for_status()
    assert_problem(api.post(path, json={"token": token}), 404)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_test/tokens", {"role": "admin"}),  # no seeded admin
        ("/_test/tokens", {"role": None}),
        ("/_test/tokens/revoke", {}),
        ("/_test/tokens/rotate", {"token": ""}),
        ("/_test/tokens/rotate", {"token": 1}),
    ],
)
def test_bad_token_requests_are_422(api: httpx2.Client, path: str, body: dict[str, Any]) -> None:
    assert_problem(api.post(path, json=body), 422)


def test_rotation_while_8_threads_call(api: httpx2.Client, server_url: str) -> None:
    old = issue(api)
    calls: list[list[int]] = [[] for _ in range(8)]
    stop = threading.Event()

    def call(statuses: list[int]) -> None:
        with httpx2.Client(base_url=server_url, timeout=10) as client:
            while not stop.is_set():
                statuses.append(client.get("/v1/users/me", headers=bearer(old)).status_code)

    def wait_for(count: int) -> None:
        while any(len(statuses) < count for statuses in calls) and all(
            thread.is_alive() for thread in threads
        ):
            stop.wait(0.005)

    threads = [threading.Thread(target=call, args=(statuses,)) for statuses in calls]
    for thread in threads:
        thread.start()
    try:
        wait_for(5)
        new = rotate(api, old)
        done = [len(statuses) for statuses in calls]
        wait_for(max(done) + 5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    for statuses in calls:
        assert set(statuses) <= {200, 401}, statuses
        # Never accepted again once refused: the rotation is one step.
        first_refusal = statuses.index(401)
        assert statuses[:first_refusal] == [200] * first_refusal
        assert statuses[first_refusal:] == [401] * (len(statuses) - first_refusal)
        assert first_refusal >= 5
    assert api.get("/v1/users/me", headers=bearer(new)).status_code == 200


def test_tokens_issued_at_once_are_distinct(api: httpx2.Client, server_url: str) -> None:
    issued: list[str] = []

    def issue_ten() -> None:
        with httpx2.Client(base_url=server_url, timeout=10) as client:
            issued.extend(issue(client) for _ in range(10))

    threads = [threading.Thread(target=issue_ten) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(issued) == [f"tok_test_{n:04d}" for n in range(1, 81)]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def random_mode() -> AsyncIterator[httpx2.AsyncClient]:
    app = create_app(Settings(test_mode=True))
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    app.state.server.close()


@pytest.mark.anyio
async def test_tokens_are_random_outside_deterministic_mode(
    random_mode: httpx2.AsyncClient,
) -> None:
    tokens = [(await random_mode.post("/_test/tokens", json={})).json()["token"] for _ in range(2)]
    assert tokens[0] != tokens[1]
    for token in tokens:
        assert token.startswith("tok_")
        assert not token.startswith("tok_test_")
        assert len(token) >= 40
        response = await random_mode.get("/v1/users/me", headers=bearer(token))
        assert response.status_code == 200
