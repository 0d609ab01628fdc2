"""Each operation of client.users: the request it sends and what it returns."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from users_sdk import InvalidArgumentError, Invitation, User, UserCreate

from .conftest import TOKEN, Recorder, json_response, user_json


@pytest.fixture(params=["httpx2", "httpx"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Every test here also runs on a caller's legacy httpx client (conftest.py)."""
    return str(request.param)


def body_of(request: httpx2.Request) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(request.content)
    return loaded


def test_create_with_keywords(make_client: Any) -> None:
    recorder = Recorder(json_response(201, user_json(), etag='"1"'))
    user = make_client(recorder).users.create(
        email="ada@example.com", display_name="Ada", role="admin", groups=("eng",)
    )
    (request,) = recorder.requests
    assert (request.method, request.url.path) == ("POST", "/v1/users")
    assert body_of(request) == {
        "email": "ada@example.com",
        "display_name": "Ada",
        "role": "admin",
        "groups": ["eng"],
    }
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert isinstance(user, User)
    assert (user.id, user.role, user.metadata.additional_properties) == (
        "usr_0001",
        "admin",
        {"team": "core"},
    )


def test_create_from_a_dict_like_the_seeds_and_keywords_win(make_client: Any) -> None:
    recorder = Recorder(json_response(201, user_json()))
    make_client(recorder).users.create(
        {"email": "bob@example.com", "role": "member"},
        role="viewer",
        extra_body={"hire_date": "2024-01-15"},
    )
    # A field this SDK does not know yet goes through extra_body, unchecked.
    assert body_of(recorder.requests[0]) == {
        "email": "bob@example.com",
        "role": "viewer",
        "hire_date": "2024-01-15",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"email": "ada@example.com", "dispaly_name": "Ada"},
        UserCreate.from_dict({"email": "ada@example.com", "dispaly_name": "Ada"}),
    ],
    ids=["dict", "model"],
)
def test_a_typo_in_a_body_is_refused_naming_the_closest_field(make_client: Any, body: Any) -> None:
    recorder = Recorder()
    with pytest.raises(InvalidArgumentError, match=r"dispaly_name: did you mean display_name\?"):
        make_client(recorder).users.create(body)
    assert recorder.requests == []


def test_get_me_and_the_path_of_each(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()), json_response(200, user_json()))
    client = make_client(recorder)
    assert client.users.get("usr_0001").email == "ada@example.com"
    assert client.users.me().id == "usr_0001"
    assert [r.url.path for r in recorder.requests] == ["/v1/users/usr_0001", "/v1/users/me"]
    assert all("idempotency-key" not in r.headers for r in recorder.requests)


def test_update_sends_only_given_fields_and_none_clears(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json(phone=None, version=2)))
    user = make_client(recorder).users.update("usr_0001", phone=None, department="R&D")
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("PATCH", "/v1/users/usr_0001")
    assert body_of(request) == {"phone": None, "department": "R&D"}
    assert "if-match" not in request.headers
    assert user.version == 2


@pytest.mark.parametrize(("if_match", "header"), [(3, '"3"'), ('"3"', '"3"'), ('W/"3"', 'W/"3"')])
def test_update_with_if_match(make_client: Any, if_match: Any, header: str) -> None:
    recorder = Recorder(json_response(200, user_json(version=4)))
    make_client(recorder).users.update("usr_0001", role="viewer", if_match=if_match)
    assert recorder.requests[0].headers["if-match"] == header


def test_delete_invite_and_password_calls(make_client: Any) -> None:
    invitation = {
        "user_id": "usr_0001",
        "sent_at": "2026-01-01T00:00:00Z",
        "expires_at": "2026-01-08T00:00:00Z",
    }
    recorder = Recorder(
        httpx2.Response(204),
        json_response(202, invitation),
        httpx2.Response(202),
        httpx2.Response(204),
    )
    users = make_client(recorder).users
    assert users.delete("usr_0001") is None
    sent = users.invite("usr_0001")
    assert isinstance(sent, Invitation)
    assert sent.expires_at.isoformat() == "2026-01-08T00:00:00+00:00"
    assert users.reset_password("ada@example.com") is None
    assert users.set_password("rst_token", "a long new passphrase") is None
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("DELETE", "/v1/users/usr_0001"),
        ("POST", "/v1/users/usr_0001/invite"),
        ("POST", "/v1/users/reset-password"),
        ("POST", "/v1/users/set-password"),
    ]
    assert body_of(recorder.requests[2]) == {"email": "ada@example.com"}
    assert body_of(recorder.requests[3]) == {
        "reset_token": "rst_token",
        "password": "a long new passphrase",
    }


def test_list_sends_every_filter(make_client: Any) -> None:
    page = {"items": [user_json()], "limit": 5, "next_cursor": None, "previous_cursor": None}
    recorder = Recorder(json_response(200, page))
    result = make_client(recorder).users.list(
        limit=5,
        sort="email:asc",
        role=["admin", "owner"],
        status="active",
        q="ada",
        email_domain="@example.com",
        group="eng",
        created_after="2026-01-01T00:00:00+00:00",
        created_before="2027-01-01T00:00:00+00:00",
        account_id="acc_0001",
    )
    params = recorder.requests[0].url.params
    assert params.get_list("role") == ["admin", "owner"]
    assert params.get_list("status") == ["active"]
    assert dict(params) | {"role": "*", "status": "*"} == {
        "limit": "5",
        "sort": "email:asc",
        "role": "*",
        "status": "*",
        "q": "ada",
        "email_domain": "example.com",
        "group": "eng",
        "created_after": "2026-01-01T00:00:00+00:00",
        "created_before": "2027-01-01T00:00:00+00:00",
        "account_id": "acc_0001",
    }
    assert [u.id for u in result.items] == ["usr_0001"]


def test_list_without_sort_lets_the_server_default_apply(make_client: Any) -> None:
    page = {"items": [], "limit": 20, "next_cursor": None, "previous_cursor": None}
    recorder = Recorder(json_response(200, page))
    make_client(recorder).users.list()
    assert dict(recorder.requests[0].url.params) == {"limit": "20"}


def test_api_key_credential_is_sent_as_x_api_key(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()))
    make_client(recorder, token=None, api_key="key_unit_secret").users.me()
    headers = recorder.requests[0].headers
    assert headers["x-api-key"] == "key_unit_secret"
    assert "authorization" not in headers
    assert headers["user-agent"].startswith("users-sdk/")


def test_user_model_round_trips_through_to_dict(make_client: Any) -> None:
    data = user_json()
    recorder = Recorder(json_response(200, data))
    user = make_client(recorder).users.get("usr_0001")
    again = user.to_dict()
    assert again["created_at"] == "2026-01-01T00:00:00+00:00"
    assert {k: v for k, v in again.items() if not k.endswith("_at")} == {
        k: v for k, v in data.items() if not k.endswith("_at")
    }


async def _async_calls(client: Any) -> list[Any]:
    async with client:
        created = await client.users.create(email="ada@example.com")
        fetched = await client.users.get("usr_0001")
        updated = await client.users.update("usr_0001", department=None, if_match=1)
        me = await client.users.me()
        await client.users.delete("usr_0001")
        return [created, fetched, updated, me]


@pytest.mark.anyio
async def test_async_twin_sends_the_same_requests(make_async_client: Any) -> None:
    recorder = Recorder(
        json_response(201, user_json()),
        json_response(200, user_json()),
        json_response(200, user_json(department=None, version=2)),
        json_response(200, user_json()),
        httpx2.Response(204),
    )
    results = await _async_calls(make_async_client(recorder))
    assert [type(r) for r in results] == [User] * 4
    assert results[2].department is None
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("POST", "/v1/users"),
        ("GET", "/v1/users/usr_0001"),
        ("PATCH", "/v1/users/usr_0001"),
        ("GET", "/v1/users/me"),
        ("DELETE", "/v1/users/usr_0001"),
    ]
    assert recorder.requests[2].headers["if-match"] == '"1"'
