"""Create, read, update, delete and invite: happy paths and their errors."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from .helpers import OWNER, OWNER_ID, VIEWER_ID, assert_problem, create_user

FULL = {
    "email": "ada@example.com",
    "display_name": "Ada Lovelace",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "username": "ada",
    "role": "admin",
    "status": "active",
    "phone": "+44 20 7946 0000",
    "department": "R&D",
    "groups": ["engineering"],
    "permissions": ["users:read", "users:write"],
    "metadata": {"employee_number": "1815"},
    "account_id": "acc_0001",
    "is_service_user": False,
}


def test_create_full(api: httpx2.Client) -> None:
    response = api.post("/v1/users", json=FULL, headers=OWNER)
    assert response.status_code == 201
    user = response.json()
    assert response.headers["location"] == f"/v1/users/{user['id']}"
    assert response.headers["etag"] == '"1"'
    assert user == {
        **FULL,
        "id": "usr_0003",
        "last_login_at": None,
        # Seeding wrote twice (00:00:00, 00:00:01); this is the third write.
        "created_at": "2026-01-01T00:00:02Z",
        "updated_at": "2026-01-01T00:00:02Z",
        "version": 1,
    }
    assert api.get(f"/v1/users/{user['id']}", headers=OWNER).json() == user


@pytest.mark.parametrize(
    ("fields", "display_name"),
    [
        ({}, "bob"),
        ({"first_name": "Bob"}, "Bob"),
        ({"first_name": "Bob", "last_name": "Builder"}, "Bob Builder"),
        ({"first_name": " ", "last_name": ""}, "bob"),
        # Cut to 200 characters, what a client may send back in an update.
        ({"first_name": "a" * 100, "last_name": "b" * 100}, "a" * 100 + " " + "b" * 99),
    ],
)
def test_create_defaults(api: httpx2.Client, fields: dict[str, Any], display_name: str) -> None:
    user = create_user(api, email="bob@example.com", **fields)
    assert user["display_name"] == display_name
    assert user["role"] == "member"
    assert user["status"] == "invited"
    assert user["groups"] == user["permissions"] == []
    assert user["metadata"] == {}
    assert user["is_service_user"] is False


def test_unknown_fields_are_ignored(api: httpx2.Client) -> None:
    user = create_user(api, email="bob@example.com", id="usr_9999", version=7, hobby="chess")
    assert user["id"] != "usr_9999"
    assert user["version"] == 1
    assert "hobby" not in user


@pytest.mark.parametrize(
    "duplicate",
    [
        {"email": "OWNER@Example.COM"},
        {"email": "other@example.com", "username": "OWNER"},
    ],
)
def test_create_duplicate_is_409(api: httpx2.Client, duplicate: dict[str, str]) -> None:
    response = api.post("/v1/users", json=duplicate, headers=OWNER)
    assert "already exists" in assert_problem(response, 409)["detail"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "email", "missing"),
        ({"email": "not-an-email"}, "email", "invalid_email"),
        ({"email": "a@b"}, "email", "invalid_email"),
        ({"email": "a b@example.com"}, "email", "invalid_email"),
        ({"email": "x" * 250 + "@example.com"}, "email", "string_too_long"),
        ({"email": 42}, "email", "string_type"),
        ({"email": None}, "email", "null_not_allowed"),
        ({"email": "a@example.com", "username": "has space"}, "username", None),
        ({"email": "a@example.com", "username": "a\n"}, "username", None),
        ({"email": "a@example.com", "username": ""}, "username", "string_too_short"),
        ({"email": "a@example.com", "role": "god"}, "role", "literal_error"),
        ({"email": "a@example.com", "role": None}, "role", "null_not_allowed"),
        ({"email": "a@example.com", "status": "gone"}, "status", "literal_error"),
        ({"email": "a@example.com", "display_name": ""}, "display_name", "string_too_short"),
        ({"email": "a@example.com", "display_name": None}, "display_name", "null_not_allowed"),
        ({"email": "a@example.com", "phone": "1" * 41}, "phone", "string_too_long"),
        ({"email": "a@example.com", "groups": "eng"}, "groups", "list_type"),
        ({"email": "a@example.com", "groups": ["g"] * 101}, "groups", "too_long"),
        ({"email": "a@example.com", "groups": ["ok", ""]}, "groups.1", "string_too_short"),
        ({"email": "a@example.com", "metadata": {"a": 1}}, "metadata.a", "string_type"),
        ({"email": "a@example.com", "metadata": {"a": "x" * 501}}, "metadata.a", None),
        ({"email": "a@example.com", "metadata": {str(i): "" for i in range(51)}}, "metadata", None),
        ({"email": "a@example.com", "is_service_user": "true"}, "is_service_user", "bool_type"),
        ({"email": "a@example.com", "is_service_user": 1}, "is_service_user", "bool_type"),
        ({"email": "a@example.com", "account_id": "a" * 65}, "account_id", None),
        (["a@example.com"], "body", None),
        ("a@example.com", "body", None),
    ],
)
def test_create_validation(api: httpx2.Client, body: Any, field: str, code: str | None) -> None:
    problem = assert_problem(api.post("/v1/users", json=body, headers=OWNER), 422)
    assert problem["type"] == "https://users.example.com/problems/validation"
    fields = {error["field"]: error for error in problem["errors"]}
    assert field in fields, problem
    if code:
        assert fields[field]["code"] == code
    assert fields[field]["message"]


def test_validation_reports_every_bad_field_once(api: httpx2.Client) -> None:
    body = {"email": "nope", "role": "god", "groups": [1, 2], "username": 5}
    problem = assert_problem(api.post("/v1/users", json=body, headers=OWNER), 422)
    fields = [error["field"] for error in problem["errors"]]
    assert sorted(fields) == ["email", "groups.0", "groups.1", "role", "username"]
    assert problem["detail"] == "5 fields are not valid."


def test_create_with_send_invite(api: httpx2.Client) -> None:
    user = create_user(api, email="inv@example.com", send_invite=True)
    (message,) = api.get("/_test/outbox").json()
    assert message == {
        "kind": "invitation",
        "email": "inv@example.com",
        "user_id": user["id"],
        "token": None,
        "sent_at": user["created_at"],
    }
    response = api.post(
        "/v1/users",
        json={"email": "b@example.com", "status": "active", "send_invite": True},
        headers=OWNER,
    )
    assert assert_problem(response, 422)["errors"][0]["field"] == "send_invite"


def test_get_unknown_is_404(api: httpx2.Client) -> None:
    problem = assert_problem(api.get("/v1/users/usr_9999", headers=OWNER), 404)
    assert problem["instance"] == "/v1/users/usr_9999"
    assert problem["type"] == "https://users.example.com/problems/not-found"


def test_update_merges_and_versions(api: httpx2.Client) -> None:
    user = create_user(api, **FULL)
    path = f"/v1/users/{user['id']}"
    response = api.patch(path, json={"department": "Maths", "phone": None}, headers=OWNER)
    assert response.status_code == 200
    updated = response.json()
    assert updated == {
        **user,
        "department": "Maths",
        "phone": None,
        "version": 2,
        "updated_at": "2026-01-01T00:00:03Z",
    }
    assert response.headers["etag"] == '"2"'
    # An empty patch, or one that changes nothing, is not a change.
    assert api.patch(path, json={}, headers=OWNER).json() == updated
    assert api.patch(path, json={"department": "Maths"}, headers=OWNER).json()["version"] == 2
    # Nullable fields clear; lists and metadata are replaced, not merged.
    cleared = api.patch(
        path,
        json={"first_name": None, "username": None, "account_id": None, "metadata": {"k": "v"}},
        headers=OWNER,
    ).json()
    assert cleared["first_name"] is cleared["username"] is cleared["account_id"] is None
    assert cleared["metadata"] == {"k": "v"}
    assert cleared["version"] == 3


@pytest.mark.parametrize(
    "field", ["email", "display_name", "role", "status", "groups", "metadata", "is_service_user"]
)
def test_update_null_for_non_nullable_is_422(api: httpx2.Client, field: str) -> None:
    response = api.patch(f"/v1/users/{VIEWER_ID}", json={field: None}, headers=OWNER)
    problem = assert_problem(response, 422)
    assert problem["errors"] == [
        {"field": field, "message": "this field may not be null", "code": "null_not_allowed"}
    ]


def test_update_conflicts(api: httpx2.Client) -> None:
    user = create_user(api, email="bob@example.com", username="bob")
    path = f"/v1/users/{user['id']}"
    assert_problem(api.patch(path, json={"email": "Owner@example.com"}, headers=OWNER), 409)
    assert_problem(api.patch(path, json={"username": "VIEWER"}, headers=OWNER), 409)
    # Its own email in another case is not a conflict.
    assert api.patch(path, json={"email": "Bob@example.com"}, headers=OWNER).status_code == 200
    assert_problem(api.patch("/v1/users/usr_9999", json={}, headers=OWNER), 404)


@pytest.mark.parametrize("if_match", ['"1"', "1", 'W/"1"', "*", '"7", "1"'])
def test_if_match_accepted_forms(api: httpx2.Client, if_match: str) -> None:
    response = api.patch(
        f"/v1/users/{VIEWER_ID}", json={"department": "x"}, headers=OWNER | {"If-Match": if_match}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2


@pytest.mark.parametrize("if_match", ['"2"', "2", 'W/"0"', "garbage", '""'])
def test_stale_if_match_is_412(api: httpx2.Client, if_match: str) -> None:
    path = f"/v1/users/{VIEWER_ID}"
    response = api.patch(path, json={"department": "x"}, headers=OWNER | {"If-Match": if_match})
    problem = assert_problem(response, 412)
    assert response.headers["etag"] == '"1"'
    assert "version 1" in problem["detail"]
    assert api.get(path, headers=OWNER).json()["department"] is None


def test_no_lost_update(api: httpx2.Client) -> None:
    path = f"/v1/users/{VIEWER_ID}"
    etag = api.get(path, headers=OWNER).headers["etag"]
    first = api.patch(path, json={"department": "A"}, headers=OWNER | {"If-Match": etag})
    second = api.patch(path, json={"department": "B"}, headers=OWNER | {"If-Match": etag})
    assert first.status_code == 200
    assert_problem(second, 412)
    assert api.get(path, headers=OWNER).json()["department"] == "A"


def test_delete(api: httpx2.Client) -> None:
    user = create_user(api, email="bob@example.com")
    path = f"/v1/users/{user['id']}"
    response = api.delete(path, headers=OWNER)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(api.get(path, headers=OWNER), 404)
    assert_problem(api.delete(path, headers=OWNER), 404)


def test_last_owner_is_protected(api: httpx2.Client) -> None:
    owner = f"/v1/users/{OWNER_ID}"
    assert "last owner" in assert_problem(api.delete(owner, headers=OWNER), 409)["detail"]
    assert_problem(api.patch(owner, json={"role": "admin"}, headers=OWNER), 409)
    assert_problem(api.patch(owner, json={"account_id": "acc_0002"}, headers=OWNER), 409)
    # Still an owner: other changes are fine.
    assert api.patch(owner, json={"department": "Board"}, headers=OWNER).status_code == 200
    # With a second owner in the account, the first may go.
    create_user(api, email="second@example.com", role="owner", account_id="acc_0001")
    assert api.patch(owner, json={"role": "admin"}, headers=OWNER).status_code == 200


def test_owners_are_counted_per_account(api: httpx2.Client) -> None:
    other = create_user(api, email="boss@example.com", role="owner", account_id="acc_0002")
    # The only owner of acc_0002, although acc_0001 has one.
    assert_problem(api.delete(f"/v1/users/{other['id']}", headers=OWNER), 409)


def test_invite(api: httpx2.Client) -> None:
    user = create_user(api, email="bob@example.com")
    response = api.post(f"/v1/users/{user['id']}/invite", headers=OWNER)
    assert response.status_code == 202
    assert response.json() == {
        "user_id": user["id"],
        "sent_at": "2026-01-01T00:00:03Z",
        "expires_at": "2026-01-08T00:00:03Z",
    }
    assert api.get("/_test/outbox").json()[-1]["kind"] == "invitation"
    # Inviting does not change the user.
    assert api.get(f"/v1/users/{user['id']}", headers=OWNER).json()["version"] == 1


def test_invite_errors(api: httpx2.Client) -> None:
    assert_problem(api.post(f"/v1/users/{VIEWER_ID}/invite", headers=OWNER), 409)  # active
    assert_problem(api.post("/v1/users/usr_9999/invite", headers=OWNER), 404)
    assert api.get("/_test/outbox").json() == []


def test_concurrent_updates_with_one_etag(api: httpx2.Client, server_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = f"/v1/users/{VIEWER_ID}"

    def attempt(i: int) -> int:
        with httpx2.Client(base_url=server_url) as client:
            headers = OWNER | {"If-Match": '"1"'}
            return client.patch(path, json={"department": f"d{i}"}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(attempt, range(8)))
    assert statuses == [200] + [412] * 7
    assert api.get(path, headers=OWNER).json()["version"] == 2
