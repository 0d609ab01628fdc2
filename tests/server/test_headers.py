"""The bounded request headers (422) and the Allow header of a 405, path by path."""

from __future__ import annotations

import httpx2
import pytest

from .helpers import OWNER, assert_problem, create_user


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_idempotency_key_out_of_bounds_is_a_422(api: httpx2.Client, key: str) -> None:
    user = create_user(api, email="keyed@example.com")
    response = api.post(f"/v1/users/{user['id']}/invite", headers=OWNER | {"Idempotency-Key": key})
    problem = assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == ["header.idempotency-key"]


def test_idempotency_key_at_the_bound_is_used(api: httpx2.Client) -> None:
    headers = OWNER | {"Idempotency-Key": "k" * 255}
    body = {"email": "bound@example.com"}
    first = api.post("/v1/users", json=body, headers=headers)
    assert first.status_code == 201
    again = api.post("/v1/users", json=body, headers=headers)
    assert again.headers["idempotent-replayed"] == "true"


@pytest.mark.parametrize("value", ["", "0" * 101])
def test_if_match_out_of_bounds_is_a_422_not_a_412(api: httpx2.Client, value: str) -> None:
    user = create_user(api, email="matched@example.com")
    response = api.patch(
        f"/v1/users/{user['id']}", json={"department": "R&D"}, headers=OWNER | {"If-Match": value}
    )
    problem = assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == ["header.if-match"]


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/v1/users", "GET, POST"),
        ("/v1/users/me", "GET"),
        ("/v1/users/reset-password", "POST"),
        ("/v1/users/set-password", "POST"),
        ("/v1/users/usr_0001", "DELETE, GET, PATCH"),
        ("/v1/users/usr_0001/invite", "POST"),
    ],
)
def test_allow_lists_the_methods_of_that_path(api: httpx2.Client, path: str, allow: str) -> None:
    response = api.request("OPTIONS", path, headers=OWNER)
    assert_problem(response, 405)
    assert response.headers["allow"] == allow


def test_status_lines_say_rfc_9110s_reason_on_every_python(api: httpx2.Client) -> None:
    """uvicorn takes reason phrases from http.HTTPStatus, which Python 3.13 renamed
    (422 "Unprocessable Entity" became "Unprocessable Content"): a recording made
    on 3.13 differed from the committed cassettes, made on 3.11, by those words."""
    invalid = api.post("/v1/users", json={"email": "not an email"}, headers=OWNER)
    assert (invalid.status_code, invalid.reason_phrase) == (422, "Unprocessable Content")
    too_large = api.post("/v1/users", content=b" " * 70_000, headers=OWNER)
    assert (too_large.status_code, too_large.reason_phrase) == (413, "Content Too Large")
