"""Credentials of the default settings, and assertions shared by the server tests."""

from __future__ import annotations

from typing import Any

import httpx2

OWNER = {"Authorization": "Bearer owner-token"}
OWNER_KEY = {"X-API-Key": "owner-key"}
VIEWER = {"Authorization": "Bearer viewer-token"}
VIEWER_KEY = {"X-API-Key": "viewer-key"}
OWNER_ID = "usr_0001"
VIEWER_ID = "usr_0002"


def create_user(api: httpx2.Client, **fields: Any) -> dict[str, Any]:
    response = api.post("/v1/users", json=fields, headers=OWNER)
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


def assert_problem(response: httpx2.Response, status: int) -> dict[str, Any]:
    """A problem document with the right status, and the request id in header and body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://users.example.com/problems/")
    assert body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body
