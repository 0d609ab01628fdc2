"""Per-call options on every method (extra_headers, extra_query, extra_body,
timeout, max_retries), and `client.request()` for a path the spec does not
describe: the same credentials, retries, idempotency keys and errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from users_sdk import (
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    User,
)

from .conftest import TOKEN, Recorder, json_response, problem, user_json


def page_json(*users: dict[str, Any], next_cursor: str | None = None) -> dict[str, Any]:
    return {"items": list(users), "limit": 20, "next_cursor": next_cursor, "previous_cursor": None}


def test_extra_headers_and_query_reach_the_wire_for_that_call_only(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()), json_response(200, user_json()))
    client = make_client(recorder)
    client.users.get("usr_1", extra_headers={"X-Trace": "t-1"}, extra_query={"expand": "groups"})
    client.users.get("usr_1")
    first, second = recorder.requests
    assert first.headers["x-trace"] == "t-1"
    assert first.url.params["expand"] == "groups"
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert "x-trace" not in second.headers
    assert "expand" not in second.url.params


def test_extra_headers_can_replace_a_default_header(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()))
    make_client(recorder).users.me(extra_headers={"Accept": "application/json; v=2"})
    assert recorder.requests[0].headers.get_list("accept") == ["application/json; v=2"]


def test_extra_body_adds_fields_the_sdk_does_not_know_yet(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()))
    make_client(recorder).users.update("usr_1", department="R&D", extra_body={"timezone": "UTC"})
    assert json.loads(recorder.requests[0].content) == {"department": "R&D", "timezone": "UTC"}


def test_a_list_keeps_extra_query_on_every_page(make_client: Any) -> None:
    recorder = Recorder(
        json_response(200, page_json(user_json(id="usr_1"), next_cursor="c2")),
        json_response(200, page_json(user_json(id="usr_2"))),
    )
    users = list(make_client(recorder).users.list(role="admin", extra_query={"beta": "1"}))
    assert [u.id for u in users] == ["usr_1", "usr_2"]
    first, second = (r.url.params for r in recorder.requests)
    assert (first["beta"], second["beta"]) == ("1", "1")
    assert (first["role"], second["role"]) == ("admin", "admin")
    assert "cursor" not in first
    assert second["cursor"] == "c2"


def test_max_retries_for_one_call(make_client: Any, sleeps: list[float]) -> None:
    unavailable = json_response(503, problem(503), **{"retry-after": "0"})
    recorder = Recorder(unavailable, json_response(200, user_json()), unavailable)
    client = make_client(recorder, max_retries=0)
    assert client.users.get("usr_1", max_retries=1).id == "usr_0001"
    with pytest.raises(InternalServerError):
        client.users.get("usr_1")  # the client's own max_retries=0
    assert len(recorder.requests) == 3


def test_timeout_for_one_call_reaches_the_request(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()))
    make_client(recorder).users.get("usr_1", timeout=1.5)
    assert recorder.requests[0].extensions["timeout"]["read"] == 1.5


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"max_retries": -1}, InvalidArgumentError, "max_retries must be 0 or more"),
        ({"max_retries": "2"}, InvalidArgumentTypeError, "max_retries must be an int"),
        ({"timeout": -1}, InvalidArgumentError, "timeout"),
        ({"extra_headers": {"X-A": "line\nbreak"}}, InvalidArgumentError, "header X-A"),
        ({"extra_headers": {"X-A": 1}}, InvalidArgumentTypeError, "header X-A must be a str"),
        ({"extra_headers": {"X A": "v"}}, InvalidArgumentError, "header name 'X A' is not a token"),
        ({"extra_headers": ["X-A"]}, InvalidArgumentTypeError, "extra_headers must be a dict"),
        ({"extra_query": ["a"]}, InvalidArgumentTypeError, "extra_query must be a dict, not list"),
        ({"extra_body": "x"}, InvalidArgumentTypeError, "extra_body must be a dict, not str"),
    ],
)
def test_bad_options_are_refused_before_sending(
    make_client: Any, options: dict[str, Any], error: type, message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(error, match=message):
        make_client(recorder).users.get("usr_1", **options)
    assert recorder.requests == []


def test_request_reaches_a_path_the_spec_does_not_describe(make_client: Any) -> None:
    recorder = Recorder(json_response(200, {"sessions": [1, 2]}), json_response(204, None))
    client = make_client(recorder)
    assert client.request("GET", "/v1/sessions", params={"user_id": "usr_1"}) == {
        "sessions": [1, 2]
    }
    assert client.request("delete", "/v1/sessions/s1") is None
    get, delete = recorder.requests
    assert (get.method, str(get.url)) == ("GET", "http://users.test/v1/sessions?user_id=usr_1")
    assert get.headers["authorization"] == f"Bearer {TOKEN}"
    assert "idempotency-key" not in get.headers
    assert delete.method == "DELETE"
    assert delete.headers["idempotency-key"]


def test_request_casts_to_a_model_and_retries_with_one_key(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(
        json_response(503, problem(503), **{"retry-after": "0"}), json_response(201, user_json())
    )
    user = make_client(recorder).request(
        "POST", "/v1/users", json={"email": "ada@example.com"}, cast_to=User
    )
    assert isinstance(user, User)
    assert user.email == "ada@example.com"
    first, second = recorder.requests
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    assert json.loads(second.content) == {"email": "ada@example.com"}


def test_request_maps_errors_like_every_method(make_client: Any) -> None:
    recorder = Recorder(json_response(404, problem(404, "no such thing")))
    with pytest.raises(NotFoundError, match="no such thing"):
        make_client(recorder).request("GET", "/v1/things/1")


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("GET", "v1/users"), {}, "path must be a str starting with '/'"),
        (("GET /v1", "/v1/users"), {}, "method must be an HTTP method"),
        (("GET", "/v1/users"), {"cast_to": dict}, "cast_to must be a model class"),
    ],
)
def test_request_refuses_bad_arguments(
    make_client: Any, args: tuple[str, str], kwargs: dict[str, Any], message: str
) -> None:
    recorder = Recorder()
    with pytest.raises((InvalidArgumentError, InvalidArgumentTypeError), match=message):
        make_client(recorder).request(*args, **kwargs)
    assert recorder.requests == []


def test_the_async_request_and_options(make_async_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()), json_response(200, user_json()))

    async def main() -> tuple[Any, Any]:
        client = make_async_client(recorder)
        async with client:
            me = await client.request("GET", "/v1/users/me", cast_to=User)
            got = await client.users.get("usr_1", extra_headers={"X-Trace": "t"})
        return me, got

    me, got = asyncio.run(main())
    assert isinstance(me, User)
    assert got.id == "usr_0001"
    assert recorder.requests[1].headers["x-trace"] == "t"


def test_a_cursor_may_be_none_to_start_from_the_first_page(make_client: Any) -> None:
    recorder = Recorder(json_response(200, page_json()))
    page = make_client(recorder).users.list(cursor=None)
    assert page.cursor is None
    assert "cursor" not in recorder.requests[0].url.params


def test_request_refuses_a_model_instance_as_cast_to(make_client: Any) -> None:
    recorder = Recorder()
    user = User.from_dict(user_json())
    with pytest.raises(InvalidArgumentTypeError, match="cast_to must be a model class"):
        make_client(recorder).request("GET", "/v1/users/me", cast_to=user)  # type: ignore[arg-type]
    assert recorder.requests == []


def test_a_page_size_without_a_default_in_the_spec_is_not_sent() -> None:
    from users_api_client.sdk.call import Call, Operation, Page
    from users_api_client.sdk.params import Kind
    from users_sdk._prepare import prepare

    listing = Operation(
        id="listThings",
        name="things.list",
        method="GET",
        path="/v1/things",
        query={"limit": Kind("integer"), "cursor": Kind("text")},
        response="ThingPage",
        page=Page("ThingPage", "Thing", limit="limit"),
    )
    assert prepare(Call(listing, query={"limit": None, "cursor": None})).params is None
    sized = prepare(Call(listing, query={"limit": 5, "cursor": None}))
    assert sized.at_cursor("c2").params == {"limit": 5, "cursor": "c2"}


def test_a_prepared_request_shows_no_value(make_client: Any) -> None:
    recorder = Recorder(json_response(200, page_json()))
    page = make_client(recorder).users.list(extra_query={"access_token": "sk-secret-1"})
    assert "sk-secret-1" not in repr(page._request)
    assert "access_token" in repr(page._request)


def test_the_async_list_refuses_a_bad_timeout_when_made(make_async_client: Any) -> None:
    client = make_async_client(Recorder())
    with pytest.raises(InvalidArgumentError, match="timeout"):
        client.users.list(timeout=-1)
    asyncio.run(client.close())
