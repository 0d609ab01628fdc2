"""Idempotency-Key: replays get the stored response; a reused key is refused."""

from __future__ import annotations

import httpx2

from .helpers import OWNER, OWNER_KEY, VIEWER_ID, assert_problem, create_user


def test_create_replay_returns_the_stored_response(api: httpx2.Client) -> None:
    headers = OWNER | {"Idempotency-Key": "k-1"}
    body = {"email": "ada@example.com", "display_name": "Ada"}
    first = api.post("/v1/users", json=body, headers=headers)
    # Same body in another key order and spacing: still the same request.
    again = api.post(
        "/v1/users",
        content=b'{ "display_name": "Ada",  "email": "ada@example.com" }',
        headers=headers | {"Content-Type": "application/json"},
    )
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    for name in ("location", "etag", "content-type"):
        assert again.headers[name] == first.headers[name]
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    emails = [u["email"] for u in api.get("/v1/users", headers=OWNER).json()["items"]]
    assert emails.count("ada@example.com") == 1


def test_reused_key_with_another_body_is_refused(api: httpx2.Client) -> None:
    headers = OWNER | {"Idempotency-Key": "k-2"}
    api.post("/v1/users", json={"email": "ada@example.com"}, headers=headers).raise_for_status()
    response = api.post("/v1/users", json={"email": "bob@example.com"}, headers=headers)
    assert "Idempotency-Key" in assert_problem(response, 409)["detail"]
    # Nor may the key be reused on another operation.
    response = api.delete(f"/v1/users/{VIEWER_ID}", headers=headers)
    assert_problem(response, 409)
    assert api.get(f"/v1/users/{VIEWER_ID}", headers=OWNER).status_code == 200


def test_keys_belong_to_a_credential(api: httpx2.Client) -> None:
    api.post(
        "/v1/users", json={"email": "ada@example.com"}, headers=OWNER | {"Idempotency-Key": "k"}
    ).raise_for_status()
    # The API key is another credential: its "k" is a new key, so this is a real create (409).
    response = api.post(
        "/v1/users", json={"email": "ada@example.com"}, headers=OWNER_KEY | {"Idempotency-Key": "k"}
    )
    assert "already exists" in assert_problem(response, 409)["detail"]


def test_failures_are_not_stored(api: httpx2.Client) -> None:
    headers = OWNER | {"Idempotency-Key": "k-3"}
    assert_problem(api.post("/v1/users", json={"email": "nope"}, headers=headers), 422)
    # Fixed and retried with the same key: it runs.
    response = api.post("/v1/users", json={"email": "nope@example.com"}, headers=headers)
    assert response.status_code == 201


def test_delete_retry_gets_204_again(api: httpx2.Client) -> None:
    user = create_user(api, email="bob@example.com")
    headers = OWNER | {"Idempotency-Key": "del-1"}
    first = api.delete(f"/v1/users/{user['id']}", headers=headers)
    again = api.delete(f"/v1/users/{user['id']}", headers=headers)
    assert first.status_code == again.status_code == 204
    # Without the key, the user is gone.
    assert_problem(api.delete(f"/v1/users/{user['id']}", headers=OWNER), 404)


def test_patch_and_invite_replays(api: httpx2.Client) -> None:
    user = create_user(api, email="bob@example.com")
    path = f"/v1/users/{user['id']}"
    headers = OWNER | {"Idempotency-Key": "p-1"}
    first = api.patch(path, json={"department": "A"}, headers=headers)
    again = api.patch(path, json={"department": "A"}, headers=headers)
    assert first.json()["version"] == again.json()["version"] == 2
    invite = OWNER | {"Idempotency-Key": "i-1"}
    sent = api.post(f"{path}/invite", headers=invite)
    assert api.post(f"{path}/invite", headers=invite).content == sent.content
    assert len(api.get("/_test/outbox").json()) == 1


def test_password_operations_honour_keys(api: httpx2.Client) -> None:
    key = {"Idempotency-Key": "r-1"}
    api.post("/v1/users/reset-password", json={"email": "owner@example.com"}, headers=key)
    api.post("/v1/users/reset-password", json={"email": "owner@example.com"}, headers=key)
    (message,) = api.get("/_test/outbox").json()
    # A key reused for another request is a 409, as on every other operation.
    response = api.post(
        "/v1/users/reset-password", json={"email": "viewer@example.com"}, headers=key
    )
    assert_problem(response, 409)
    body = {"reset_token": message["token"], "password": "correct horse battery"}
    set_key = {"Idempotency-Key": "s-1"}
    first = api.post("/v1/users/set-password", json=body, headers=set_key)
    # The token is used up, but a retry of the same call gets its 204 back.
    again = api.post("/v1/users/set-password", json=body, headers=set_key)
    assert first.status_code == again.status_code == 204
    assert_problem(api.post("/v1/users/set-password", json=body), 400)
