"""The hot-path shortcuts the benchmarks led to change no result.

- The generated one-pass model builders give exactly what the generated
  from_dict gives for the benchmark's data, and leave everything else to the
  general path, whose result or error is unchanged (tests/unit/test_builders.py
  covers every kind of field of the spec).
- A client that makes its own httpx2 client sends the same headers as before,
  in every configuration.
"""

from __future__ import annotations

import asyncio
import json
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx2
import pytest

from users_api_client.models import Invitation, User
from users_api_client.sdk.builders import INVITATION, USER
from users_api_client.sdk.operations import LIST_USERS
from users_sdk import AsyncUsersClient, UnexpectedResponseError, UsersClient
from users_sdk import _parsing as adapter

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from canned_server import canned_user, start_canned_server  # noqa: E402

sys.path.remove(str(BENCHMARKS))

RESPONSE = httpx2.Response(200, request=httpx2.Request("GET", "http://users.test/v1/users/x"))


def same_model(a: Any, b: Any) -> bool:
    return a == b and all(
        type(getattr(a, f.name)) is type(getattr(b, f.name)) for f in attrs.fields(type(a))
    )


@pytest.mark.parametrize("index", range(12))
def test_the_user_builder_agrees_with_from_dict(index: int) -> None:
    data = canned_user(index)
    assert same_model(USER.build(json.loads(json.dumps(data))), User.from_dict(data))


def test_extra_fields_are_kept_as_additional_properties() -> None:
    data = {**canned_user(1), "nickname": "ada", "score": 3}
    user = adapter.parse_model("User", httpx2.Response(200, json=data, request=RESPONSE.request))
    assert user.additional_properties == {"nickname": "ada", "score": 3}
    assert same_model(user, User.from_dict(data))


def test_the_invitation_builder_agrees_with_from_dict() -> None:
    data = {
        "user_id": "usr_1",
        "sent_at": "2026-01-01T00:00:00Z",
        "expires_at": "2026-01-08T00:00:00+02:00",
    }
    assert same_model(INVITATION.build(dict(data)), Invitation.from_dict(data))


def _mutations() -> Iterator[tuple[str, Callable[[dict[str, Any]], None]]]:
    def set_(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
        return lambda data: data.__setitem__(key, value)

    def drop(key: str) -> Callable[[dict[str, Any]], None]:
        return lambda data: data.pop(key)

    yield "unknown role", set_("role", "auditor")
    yield "unknown status", set_("status", "archived")
    yield "role not a string", set_("role", 3)
    yield "missing email", drop("email")
    yield "missing last_login_at", drop("last_login_at")
    yield "email null", set_("email", None)
    yield "version a string", set_("version", "1")
    yield "version a bool", set_("version", True)
    yield "flag an int", set_("is_service_user", 1)
    yield "groups a string", set_("groups", "engineering")
    yield "metadata a list", set_("metadata", ["x"])
    yield "metadata values not strings", set_("metadata", {"n": 1})
    yield "created_at not a date", set_("created_at", "yesterday")
    yield "created_at a number", set_("created_at", 1767225600)
    yield "last_login_at not a date", set_("last_login_at", "soon")
    yield "a date without a zone", set_("updated_at", "2026-01-01T00:00:00")


@pytest.mark.parametrize(("name", "mutate"), list(_mutations()), ids=[n for n, _ in _mutations()])
def test_unclean_data_gets_the_general_paths_answer(
    name: str, mutate: Callable[[dict[str, Any]], None]
) -> None:
    def outcome(parse: Callable[[dict[str, Any]], User]) -> Any:
        data = canned_user(2)
        mutate(data)
        try:
            user = parse(data)
        except UnexpectedResponseError as error:
            return ("error", str(error))
        return ("user", user, {f.name: type(getattr(user, f.name)) for f in attrs.fields(User)})

    def with_builder(data: dict[str, Any]) -> User:
        return adapter.parse_model(
            "User", httpx2.Response(200, json=data, request=RESPONSE.request)
        )

    def general_path_only(data: dict[str, Any]) -> User:
        return adapter._parse(USER, data, httpx2.Response(200, request=RESPONSE.request))

    assert outcome(with_builder) == outcome(general_path_only), name


def test_a_page_with_a_broken_item_still_names_it() -> None:
    items = [canned_user(1), {**canned_user(2), "version": "two"}]
    body = {"items": items, "limit": 2, "next_cursor": None, "previous_cursor": None}
    response = httpx2.Response(200, json=body, request=RESPONSE.request)
    with pytest.raises(UnexpectedResponseError, match="version"):
        adapter.parse_page(LIST_USERS.page, response)


# ---- the headers each kind of client sends --------------------------------------------


@pytest.fixture(scope="module")
def canned() -> Iterator[str]:
    with start_canned_server(delay=0.0) as server:
        yield server["fast"]


def last_headers(base_url: str) -> dict[str, str]:
    with urllib.request.urlopen(base_url + "/_stats", timeout=5) as response:
        pairs = json.loads(response.read())["last_headers"]
    return {name.lower(): value for name, value in pairs if name.lower() != "host"}


BASE = {
    "accept": "application/json",
    "accept-encoding": "gzip, deflate",
    "connection": "keep-alive",
}


def test_own_http_client_sends_the_same_headers(canned: str) -> None:
    with UsersClient(base_url=canned, token="tok") as client:
        user_agent = client._default_headers["User-Agent"]
        client.users.get("usr_1")
        expected = {**BASE, "user-agent": user_agent, "authorization": "Bearer tok"}
        assert last_headers(canned) == expected

        client.with_options(timeout=5).users.get("usr_1")
        assert last_headers(canned) == expected

        client.with_options(headers={"X-Trace": "t1"}).users.get("usr_1")
        assert last_headers(canned) == {**expected, "x-trace": "t1"}

        client.users.get("usr_1")
        assert last_headers(canned) == expected

    with UsersClient(base_url=canned, api_key="key", headers={"X-Tenant": "a"}) as client:
        client.users.get("usr_1")
        assert last_headers(canned) == {
            **BASE,
            "user-agent": user_agent,
            "x-tenant": "a",
            "x-api-key": "key",
        }

    with (
        httpx2.Client() as http,
        UsersClient(base_url=canned, token="tok", http_client=http) as client,
    ):
        client.users.get("usr_1")
        assert last_headers(canned) == expected


def test_async_client_sends_the_same_headers(canned: str) -> None:
    async def main() -> str:
        async with AsyncUsersClient(base_url=canned, token="tok") as client:
            await client.users.get("usr_1")
            return client._default_headers["User-Agent"]

    user_agent = asyncio.run(main())
    assert last_headers(canned) == {**BASE, "user-agent": user_agent, "authorization": "Bearer tok"}
