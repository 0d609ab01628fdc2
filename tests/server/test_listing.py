"""listUsers: filters, multi-field sort, keyset pagination and signed cursors."""

from __future__ import annotations

import random
from typing import Any

import httpx2
import pytest

from .helpers import OWNER, OWNER_ID, VIEWER_ID, assert_problem, create_user


def list_users(api: httpx2.Client, **params: Any) -> dict[str, Any]:
    response = api.get("/v1/users", params=params, headers=OWNER)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def ids(page: dict[str, Any]) -> list[str]:
    return [user["id"] for user in page["items"]]


def walk(api: httpx2.Client, **params: Any) -> list[str]:
    """Every id, following next_cursor to the end."""
    seen: list[str] = []
    page = list_users(api, **params)
    while True:
        seen += ids(page)
        if page["next_cursor"] is None:
            return seen
        page = list_users(api, **params, cursor=page["next_cursor"])


@pytest.fixture
def people(api: httpx2.Client) -> dict[str, dict[str, Any]]:
    """A small, varied population (plus the two seeded users)."""
    specs = [
        {"email": "ada@math.org", "display_name": "Ada", "role": "admin", "status": "active",
         "groups": ["eng", "math"], "account_id": "acc_1", "username": "ada"},
        {"email": "Bob@Example.com", "display_name": "bob", "role": "member",
         "groups": ["eng"], "account_id": "acc_1"},
        {"email": "carol@example.com", "display_name": "Carol 100%", "role": "member",
         "status": "suspended", "account_id": "acc_2"},
        {"email": "dan@math.org", "display_name": "Dan_O'Brien", "role": "viewer",
         "status": "deactivated", "groups": ["math"], "username": "dan.o"},
        # Ada again: a tie on display_name, for the id tie-breaker.
        {"email": "eve@example.com", "display_name": "Ada", "role": "member",
         "status": "deactivated"},
    ]  # fmt: skip
    return {spec["email"]: create_user(api, **spec) for spec in specs}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "member"}, {"Bob@Example.com", "carol@example.com", "eve@example.com"}),
        ({"role": ["admin", "owner"]}, {"ada@math.org", "owner@example.com"}),
        ({"status": ["suspended", "deactivated"]},
         {"carol@example.com", "dan@math.org", "eve@example.com"}),
        ({"role": "member", "status": "invited"}, {"Bob@Example.com"}),
        ({"q": "ADA"}, {"ada@math.org", "eve@example.com"}),
        ({"q": "bob"}, {"Bob@Example.com"}),
        ({"q": "dan.o"}, {"dan@math.org"}),  # username
        ({"q": "%"}, {"carol@example.com"}),  # literal, not a wildcard
        ({"q": "_"}, {"dan@math.org"}),
        ({"q": "'"}, {"dan@math.org"}),
        ({"email_domain": "MATH.org"}, {"ada@math.org", "dan@math.org"}),
        ({"email_domain": "example.com"},
         {"Bob@Example.com", "carol@example.com", "eve@example.com", "owner@example.com",
          "viewer@example.com"}),
        ({"group": "eng"}, {"ada@math.org", "Bob@Example.com"}),
        ({"group": "en"}, set()),
        ({"account_id": "acc_1"}, {"ada@math.org", "Bob@Example.com"}),
        ({"account_id": "acc_1", "group": "math"}, {"ada@math.org"}),
    ],
)  # fmt: skip
def test_filters(
    api: httpx2.Client,
    people: dict[str, dict[str, Any]],
    params: dict[str, Any],
    expected: set[str],
) -> None:
    page = list_users(api, **params)
    assert {user["email"] for user in page["items"]} == expected


def test_created_after_and_before(api: httpx2.Client, people: dict[str, dict[str, Any]]) -> None:
    # The deterministic clock: seeds at :00 and :01, then one user per second.
    assert [u["created_at"] for u in people.values()] == [
        "2026-01-01T00:00:02Z",
        "2026-01-01T00:00:03Z",
        "2026-01-01T00:00:04Z",
        "2026-01-01T00:00:05Z",
        "2026-01-01T00:00:06Z",
    ]
    page = list_users(
        api, created_after="2026-01-01T00:00:03Z", created_before="2026-01-01T01:00:05+01:00"
    )
    assert {u["email"] for u in page["items"]} == {"Bob@Example.com", "carol@example.com"}
    for bad in ("yesterday", "2026-01-01", "2026-13-01T00:00:00Z"):
        problem = assert_problem(
            api.get("/v1/users", params={"created_after": bad}, headers=OWNER), 422
        )
        assert problem["errors"][0]["field"] == "query.created_after"


def test_default_sort_is_newest_first(
    api: httpx2.Client, people: dict[str, dict[str, Any]]
) -> None:
    page = list_users(api)
    newest_first = [u["id"] for u in reversed(people.values())] + [VIEWER_ID, OWNER_ID]
    assert ids(page) == newest_first


@pytest.mark.parametrize(
    "sort",
    [
        "email:asc",
        "email",
        "email:desc",
        "display_name:asc,created_at:desc",
        "created_at:asc",
        "updated_at:desc,email:asc",
        "id:desc",
        "last_login_at:asc",
        "last_login_at:desc,email:desc",
    ],
)
def test_sort_matches_python(
    api: httpx2.Client, people: dict[str, dict[str, Any]], sort: str
) -> None:
    everyone = list_users(api, limit=100)["items"]

    def key_of(user: dict[str, Any], field: str) -> Any:
        value = user[field]
        if field == "email":
            return value.lower()
        if field == "last_login_at":
            return (value is not None, value or "")  # never logged in sorts first
        return value

    expected = list(everyone)
    parts = [part.split(":") for part in sort.split(",")]
    if not any(field == "id" for field, *_ in parts):
        parts.append(["id", "asc"])
    for field, *direction in reversed(parts):
        expected.sort(key=lambda u, f=field: key_of(u, f), reverse=direction == ["desc"])
    expected_ids = [u["id"] for u in expected]
    assert ids(list_users(api, sort=sort, limit=100)) == expected_ids
    # The same order, one user per page.
    assert walk(api, sort=sort, limit=1) == expected_ids


def test_nulls_sort_first_ascending(api: httpx2.Client, people: dict[str, dict[str, Any]]) -> None:
    ascending = ids(list_users(api, sort="last_login_at:asc"))
    descending = ids(list_users(api, sort="last_login_at:desc"))
    assert ascending[-1] == OWNER_ID  # the only user who ever logged in
    assert descending[0] == OWNER_ID
    assert walk(api, sort="last_login_at:asc", limit=2) == ascending


@pytest.mark.parametrize(
    "sort", ["name:asc", "email:up", "email:asc,email:desc", "password_hash", "id;drop table users"]
)
def test_bad_sort_is_400(api: httpx2.Client, sort: str) -> None:
    assert_problem(api.get("/v1/users", params={"sort": sort}, headers=OWNER), 400)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 101}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
        ({"role": "king"}, "query.role.0"),
        ({"status": ["active", "asleep"]}, "query.status.1"),
        ({"q": ""}, "query.q"),
        ({"q": "x" * 201}, "query.q"),
        ({"cursor": ""}, "query.cursor"),
        ({"sort": "email:asc," * 30}, "query.sort"),
    ],
)
def test_bad_parameters_are_422(api: httpx2.Client, params: dict[str, Any], field: str) -> None:
    problem = assert_problem(api.get("/v1/users", params=params, headers=OWNER), 422)
    assert [error["field"] for error in problem["errors"]] == [field]


def test_pages_and_cursors(api: httpx2.Client) -> None:
    for i in range(10):
        create_user(api, email=f"u{i:02d}@example.com")
    everyone = ids(list_users(api, sort="email:asc", limit=100))
    first = list_users(api, sort="email:asc", limit=5)
    assert first["limit"] == 5
    assert first["previous_cursor"] is None
    second = list_users(api, sort="email:asc", limit=5, cursor=first["next_cursor"])
    third = list_users(api, sort="email:asc", limit=5, cursor=second["next_cursor"])
    assert ids(first) + ids(second) + ids(third) == everyone
    assert third["next_cursor"] is None
    assert third["previous_cursor"] is not None
    # Back again, page by page.
    back = list_users(api, sort="email:asc", limit=5, cursor=third["previous_cursor"])
    assert ids(back) == ids(second)
    back = list_users(api, sort="email:asc", limit=5, cursor=back["previous_cursor"])
    assert ids(back) == ids(first)
    assert back["previous_cursor"] is None
    # A cursor does not fix the page size.
    assert (
        ids(list_users(api, sort="email:asc", limit=2, cursor=first["next_cursor"]))
        == everyone[5:7]
    )


def test_keyset_survives_inserts_and_deletes(api: httpx2.Client) -> None:
    rng = random.Random(7)
    for _ in range(25):
        create_user(api, email=f"user{rng.randrange(10**6):06d}@example.com")
    for sort in ("email:asc", "created_at:desc", "display_name:desc,created_at:asc"):
        alive = set(ids(list_users(api, limit=100)))
        deleted: set[str] = set()
        seen: list[str] = []
        page = list_users(api, sort=sort, limit=4)
        while True:
            seen += ids(page)
            # Between pages: insert a couple, delete one we saw and one we did not.
            for _ in range(2):
                create_user(api, email=f"late{rng.randrange(10**9):09d}@example.com")
            candidates = sorted(alive - deleted - {OWNER_ID})
            for victim in (rng.choice(candidates), rng.choice(seen)):
                if victim not in deleted and victim != OWNER_ID:
                    assert api.delete(f"/v1/users/{victim}", headers=OWNER).status_code == 204
                    deleted.add(victim)
            if page["next_cursor"] is None:
                break
            page = list_users(api, sort=sort, limit=4, cursor=page["next_cursor"])
        assert len(seen) == len(set(seen)), "a user was listed twice"
        # Every user that existed from start to end was listed, exactly once.
        missing = (alive - deleted) - set(seen)
        assert not missing, f"skipped {missing} with sort {sort}"


def test_empty_page_after_deletes_can_go_back(api: httpx2.Client) -> None:
    for i in range(4):
        create_user(api, email=f"u{i}@example.com")
    first = list_users(api, sort="email:asc", limit=3)
    later = ids(list_users(api, sort="email:asc", limit=100))[3:]
    for user_id in later:
        api.delete(f"/v1/users/{user_id}", headers=OWNER)
    empty = list_users(api, sort="email:asc", limit=3, cursor=first["next_cursor"])
    assert empty["items"] == []
    assert empty["next_cursor"] is None
    back = list_users(api, sort="email:asc", limit=3, cursor=empty["previous_cursor"])
    assert ids(back) == ids(first)


def test_tampered_cursors_are_400(api: httpx2.Client) -> None:
    for i in range(3):
        create_user(api, email=f"u{i}@example.com")
    cursor = list_users(api, limit=2)["next_cursor"]
    payload, signature = cursor.split(".")
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    for bad in (
        "garbage",
        "e30",
        f"{flipped}.{signature}",
        f"{payload}.{signature[::-1]}",
        f"{payload}.",
        f"{payload}.{signature}.x",
        f"{payload}==.{signature}",
        "eyJrIjpbIjIwMjYtMDEtMDFUMDA6MDA6MDBaIiwidXNyXzAwMDEiXX0",  # the spec's example
        "' OR 1=1 --",
    ):
        response = api.get("/v1/users", params={"limit": 2, "cursor": bad}, headers=OWNER)
        assert "malformed" in assert_problem(response, 400)["detail"], bad


@pytest.mark.parametrize(
    "other", [{"sort": "email:asc"}, {"role": "member"}, {"q": "u"}, {"account_id": "acc_0001"}]
)
def test_cursor_is_bound_to_filters_and_sort(api: httpx2.Client, other: dict[str, str]) -> None:
    for i in range(3):
        create_user(api, email=f"u{i}@example.com", role="member")
    cursor = list_users(api, limit=2)["next_cursor"]
    response = api.get("/v1/users", params={"limit": 2, "cursor": cursor, **other}, headers=OWNER)
    assert "other filters" in assert_problem(response, 400)["detail"]


def test_equivalent_filters_share_cursors(api: httpx2.Client) -> None:
    for i in range(3):
        create_user(api, email=f"u{i}@example.com", role="member")
    params = {"role": ["member", "owner"], "limit": 2}
    cursor = list_users(api, **params)["next_cursor"]
    # Order and repetition of a repeatable filter do not make other filters.
    same = {"role": ["owner", "member", "owner"], "limit": 2, "cursor": cursor}
    assert api.get("/v1/users", params=same, headers=OWNER).status_code == 200


def test_cursors_fit_the_contract_even_for_long_sort_keys(api: httpx2.Client) -> None:
    # Each \x01 is six characters in JSON: such a key alone is over 1000 characters.
    for i in range(3):
        create_user(
            api, email=f"{i}{'x' * 60}@{'d' * 60}.example.com", display_name=f"\x01{i}" * 100
        )
    sort = "display_name:asc,email:desc"
    everyone = ids(list_users(api, sort=sort, limit=100))
    first = list_users(api, sort=sort, limit=1)
    assert len(first["next_cursor"]) <= 1000
    assert walk(api, sort=sort, limit=1) == everyone
    second = list_users(api, sort=sort, limit=1, cursor=first["next_cursor"])
    assert len(second["previous_cursor"]) <= 1000
    back = list_users(api, sort=sort, limit=1, cursor=second["previous_cursor"])
    assert ids(back) == ids(first)
    # A stored cursor does not outlive a reset of the database.
    api.post("/_test/reset").raise_for_status()
    response = api.get(
        "/v1/users", params={"sort": sort, "cursor": first["next_cursor"]}, headers=OWNER
    )
    assert_problem(response, 400)
