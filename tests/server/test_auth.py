"""Credentials: bearer tokens and API keys, 401 and 403."""

from __future__ import annotations

import httpx2
import pytest

from .helpers import OWNER, OWNER_ID, OWNER_KEY, VIEWER, VIEWER_ID, VIEWER_KEY, assert_problem


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic b3duZXI6dG9rZW4="},
        {"Authorization": "owner-token"},
        {"X-API-Key": "wrong"},
        {"X-API-Key": "owner-token"},  # a token is not a key
        {"Authorization": "Bearer owner-key"},  # nor a key a token
        {"Authorization": "Bearer owner-token", "X-API-Key": "wrong"},
    ],
)
def test_missing_or_wrong_credentials_get_401(api: httpx2.Client, headers: dict[str, str]) -> None:
    response = api.get("/v1/users", headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("headers", [OWNER, OWNER_KEY, {"authorization": "bearer owner-token"}])
def test_owner_credentials(api: httpx2.Client, headers: dict[str, str]) -> None:
    response = api.get("/v1/users/me", headers=headers)
    assert response.status_code == 200
    assert response.json()["id"] == OWNER_ID
    assert response.json()["email"] == "owner@example.com"
    assert response.headers["etag"] == '"1"'


@pytest.mark.parametrize("headers", [VIEWER, VIEWER_KEY])
def test_viewer_reads_but_may_not_write(api: httpx2.Client, headers: dict[str, str]) -> None:
    assert api.get("/v1/users/me", headers=headers).json()["id"] == VIEWER_ID
    assert api.get("/v1/users", headers=headers).status_code == 200
    assert api.get(f"/v1/users/{OWNER_ID}", headers=headers).status_code == 200
    attempts = [
        api.post("/v1/users", json={"email": "x@example.com"}, headers=headers),
        api.patch(f"/v1/users/{VIEWER_ID}", json={"department": "x"}, headers=headers),
        api.delete(f"/v1/users/{VIEWER_ID}", headers=headers),
        api.post(f"/v1/users/{VIEWER_ID}/invite", headers=headers),
    ]
    for response in attempts:
        assert "viewer may not" in assert_problem(response, 403)["detail"]
    # Nothing happened.
    assert len(api.get("/v1/users", headers=OWNER).json()["items"]) == 2


def test_an_empty_header_is_no_credential(api: httpx2.Client) -> None:
    assert api.get("/v1/users/me", headers=OWNER | {"X-API-Key": ""}).status_code == 200
    assert_problem(api.get("/v1/users/me", headers={"X-API-Key": "", "Authorization": ""}), 401)


def test_401_comes_before_validation(api: httpx2.Client) -> None:
    assert_problem(api.get("/v1/users?limit=0"), 401)
    assert_problem(api.post("/v1/users", content=b"{not json"), 401)


def test_role_is_read_at_each_request(api: httpx2.Client) -> None:
    # Promote the viewer: its credential may now write.
    api.patch(f"/v1/users/{VIEWER_ID}", json={"role": "admin"}, headers=OWNER).raise_for_status()
    response = api.post("/v1/users", json={"email": "new@example.com"}, headers=VIEWER)
    assert response.status_code == 201


def test_credential_of_a_deleted_user_gets_401(api: httpx2.Client) -> None:
    assert api.delete(f"/v1/users/{VIEWER_ID}", headers=OWNER).status_code == 204
    body = assert_problem(api.get("/v1/users/me", headers=VIEWER), 401)
    assert "no longer exists" in body["detail"]


def test_public_operations_ignore_credentials(api: httpx2.Client) -> None:
    response = api.post(
        "/v1/users/reset-password",
        json={"email": "owner@example.com"},
        headers={"Authorization": "Bearer wrong"},
    )
    assert response.status_code == 202
