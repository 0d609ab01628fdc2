"""Deterministic mode: the same scenario against fresh servers gives the same bytes."""

from __future__ import annotations

import httpx2
from users_server import Settings, run_server

from .helpers import OWNER, VIEWER

Exchange = tuple[int, list[tuple[bytes, bytes]], bytes]


def scenario(client: httpx2.Client) -> list[Exchange]:
    """A bit of everything, errors included."""
    key = OWNER | {"Idempotency-Key": "k"}
    if_match = OWNER | {"If-Match": '"1"'}
    responses = [
        client.get("/v1/users", headers=OWNER),
        client.post("/v1/users", json={"email": "ada@example.com", "send_invite": True},
                    headers=OWNER),
        client.post("/v1/users", json={"email": "bob@example.com"}, headers=key),
        client.post("/v1/users", json={"email": "bob@example.com"}, headers=key),
        client.patch("/v1/users/usr_0003", json={"department": "R&D"}, headers=if_match),
        client.patch("/v1/users/usr_0003", json={"department": "X"}, headers=if_match),
        client.post("/v1/users/usr_0003/invite", headers=OWNER),
        client.post("/v1/users/reset-password", json={"email": "ada@example.com"}),
        client.get("/_test/outbox"),
        client.get("/v1/users", params={"limit": 2, "sort": "email:asc"}, headers=OWNER),
        client.delete("/v1/users/usr_0004", headers=OWNER),
        client.get("/v1/users/usr_0004", headers=OWNER),
        client.post("/v1/users", json={"email": "nope"}, headers=OWNER),
        client.post("/v1/users", json={"email": "c@example.com"}, headers=VIEWER),
        client.get("/v1/users"),
    ]  # fmt: skip
    page = responses[-6].json()
    responses.append(
        client.get(
            "/v1/users",
            params={"limit": 2, "sort": "email:asc", "cursor": page["next_cursor"]},
            headers=OWNER,
        )
    )
    return [(r.status_code, r.headers.raw, r.content) for r in responses]


def record() -> list[Exchange]:
    with (
        run_server(Settings(port=0, deterministic=True, test_mode=True)) as url,
        httpx2.Client(base_url=url) as client,
    ):
        return scenario(client)


def test_fresh_servers_give_identical_bytes() -> None:
    first, second = record(), record()
    assert first == second
    statuses = [status for status, _, _ in first]
    assert statuses == [
        200,
        201,
        201,
        201,
        200,
        412,
        202,
        202,
        200,
        200,
        204,
        404,
        422,
        403,
        401,
        200,
    ]
    for _, headers, _ in first:
        names = {name.lower() for name, _ in headers}
        assert b"date" not in names
        assert b"server" not in names


def test_reset_gives_identical_bytes(api: httpx2.Client) -> None:
    first = scenario(api)
    api.post("/_test/reset").raise_for_status()
    assert scenario(api) == first
