"""The password-reset flow through the development outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx2
import pytest
from users_server import Settings, create_app
from users_server.state import ServerState
from users_server.support.clock import SteppingClock
from users_server.support.hashing import verify_password

from .helpers import OWNER_ID, assert_problem

PASSWORD = "correct horse battery staple"


def request_token(api: httpx2.Client, email: str = "owner@example.com") -> str:
    response = api.post("/v1/users/reset-password", json={"email": email})
    assert response.status_code == 202
    assert response.content == b""
    token: str = api.get("/_test/outbox").json()[-1]["token"]
    return token


def test_round_trip(api: httpx2.Client) -> None:
    token = request_token(api)
    (message,) = api.get("/_test/outbox").json()
    assert message == {
        "kind": "password_reset",
        "email": "owner@example.com",
        "user_id": OWNER_ID,
        "token": token,
        "sent_at": "2026-01-01T00:00:02Z",
    }
    assert token.startswith("rst_")
    body = {"reset_token": token, "password": PASSWORD}
    assert api.post("/v1/users/set-password", json=body).status_code == 204
    # Single use.
    problem = assert_problem(api.post("/v1/users/set-password", json=body), 400)
    assert "not valid" in problem["detail"]


def test_unknown_email_is_202_and_sends_nothing(api: httpx2.Client) -> None:
    response = api.post("/v1/users/reset-password", json={"email": "nobody@example.com"})
    assert response.status_code == 202
    assert api.get("/_test/outbox").json() == []


def test_email_is_case_insensitive(api: httpx2.Client) -> None:
    request_token(api, "OWNER@example.COM")
    assert api.get("/_test/outbox").json()[0]["email"] == "owner@example.com"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reset_token": "rst_x", "password": "short"}, "password"),
        ({"reset_token": "rst_x", "password": "x" * 11}, "password"),
        ({"reset_token": "", "password": PASSWORD}, "reset_token"),
        ({"reset_token": "rst_x"}, "password"),
        ({"password": PASSWORD, "reset_token": 5}, "reset_token"),
    ],
)
def test_weak_password_or_bad_body_is_422(
    api: httpx2.Client, body: dict[str, object], field: str
) -> None:
    problem = assert_problem(api.post("/v1/users/set-password", json=body), 422)
    assert [error["field"] for error in problem["errors"]] == [field]


def test_reset_request_validation(api: httpx2.Client) -> None:
    assert_problem(api.post("/v1/users/reset-password", json={"email": "nope"}), 422)
    assert_problem(api.post("/v1/users/reset-password", json={}), 422)


def test_unknown_token_is_400(api: httpx2.Client) -> None:
    body = {"reset_token": "rst_made_up", "password": PASSWORD}
    assert_problem(api.post("/v1/users/set-password", json=body), 400)


def test_expired_token_is_400(api: httpx2.Client) -> None:
    token = request_token(api)
    api.post("/_test/clock", json={"advance_seconds": 3600}).raise_for_status()
    body = {"reset_token": token, "password": PASSWORD}
    assert_problem(api.post("/v1/users/set-password", json=body), 400)


def test_a_new_password_uses_up_every_token(api: httpx2.Client) -> None:
    first, second = request_token(api), request_token(api)
    assert first != second
    api.post("/v1/users/set-password", json={"reset_token": second, "password": PASSWORD})
    response = api.post("/v1/users/set-password", json={"reset_token": first, "password": PASSWORD})
    assert_problem(response, 400)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def injected() -> AsyncIterator[tuple[httpx2.AsyncClient, SteppingClock, ServerState]]:
    """The ASGI app with a clock the test holds, and its state to look inside."""
    clock = SteppingClock()
    app = create_app(Settings(test_mode=True, clock=clock))
    state: ServerState = app.state.server
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client, clock, state
    state.close()


@pytest.mark.anyio
async def test_expiry_with_an_injected_clock(
    injected: tuple[httpx2.AsyncClient, SteppingClock, ServerState],
) -> None:
    client, clock, _ = injected
    hour = timedelta(hours=1)
    issued = {}
    for email in ("owner@example.com", "viewer@example.com"):
        issued[email] = clock.now()  # the instant of the write that issues the token
        await client.post("/v1/users/reset-password", json={"email": email})
    owner_token, viewer_token = [m["token"] for m in (await client.get("/_test/outbox")).json()]
    # One second before its hour is up, a token still works...
    clock.advance((issued["owner@example.com"] + hour - clock.now()).total_seconds() - 1)
    ok = await client.post(
        "/v1/users/set-password", json={"reset_token": owner_token, "password": PASSWORD}
    )
    assert ok.status_code == 204
    # ...and once the hour is up, it does not.
    clock.advance((issued["viewer@example.com"] + hour - clock.now()).total_seconds())
    late = await client.post(
        "/v1/users/set-password", json={"reset_token": viewer_token, "password": PASSWORD}
    )
    assert late.status_code == 400


@pytest.mark.anyio
async def test_nothing_is_stored_in_clear(
    injected: tuple[httpx2.AsyncClient, SteppingClock, ServerState],
) -> None:
    client, _, state = injected
    await client.post("/v1/users/reset-password", json={"email": "owner@example.com"})
    token = (await client.get("/_test/outbox")).json()[0]["token"]
    await client.post("/v1/users/set-password", json={"reset_token": token, "password": PASSWORD})
    with state.db.transaction() as conn:
        dump = "\n".join(conn.iterdump())
        stored = conn.execute(
            "SELECT password_hash FROM users WHERE email_key = ?", ("owner@example.com",)
        ).fetchone()[0]
    assert token not in dump
    assert PASSWORD not in dump
    assert stored.startswith("scrypt$")
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "!", stored)
