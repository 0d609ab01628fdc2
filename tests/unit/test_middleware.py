"""Middleware runs once per attempt, inside the retry loop, in the order given;
the transport's failures reach it as SDK errors, and the user's own propagate."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from users_sdk import (
    APIConnectionError,
    AsyncUsersClient,
    ConfigurationError,
    RequestContext,
)

from .conftest import Recorder, json_response, problem, user_json


def ok() -> httpx2.Response:
    return json_response(200, user_json())


def unavailable() -> httpx2.Response:
    return json_response(503, problem(503))


class Trail:
    """Middleware factory writing what each one saw, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def named(self, name: str) -> Any:
        def middleware(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
            self.events.append((name, "in", str(context.attempt), context.operation))
            response = call_next(request)
            self.events.append((name, "out", str(response.status_code)))
            return response

        return middleware


def test_middleware_runs_per_attempt_in_order_under_injected_503s(
    make_client: Any, sleeps: list[float]
) -> None:
    trail = Trail()
    keys: list[str | None] = []

    def keep_key(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        keys.append(context.idempotency_key)
        assert context.operation_id == "createUser"
        assert context.url_template == "/v1/users"
        return call_next(request)

    recorder = Recorder(unavailable(), unavailable(), json_response(201, user_json()))
    client = make_client(
        recorder, middleware=[trail.named("outer"), trail.named("inner"), keep_key]
    )
    client.users.create(email="ada@example.com")
    assert trail.events == [
        ("outer", "in", "1", "users.create"), ("inner", "in", "1", "users.create"),
        ("inner", "out", "503"), ("outer", "out", "503"),
        ("outer", "in", "2", "users.create"), ("inner", "in", "2", "users.create"),
        ("inner", "out", "503"), ("outer", "out", "503"),
        ("outer", "in", "3", "users.create"), ("inner", "in", "3", "users.create"),
        ("inner", "out", "201"), ("outer", "out", "201"),
    ]  # fmt: skip
    assert len(set(keys)) == 1
    assert keys[0] == recorder.requests[0].headers["idempotency-key"]


def test_a_middleware_header_reaches_the_server(make_client: Any) -> None:
    def tag(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        request.headers["x-tenant"] = "blue"
        return call_next(request)

    recorder = Recorder(ok())
    make_client(recorder, middleware=[tag]).users.get("usr_0001")
    assert recorder.sent_headers[0]["x-tenant"] == "blue"


def test_the_transport_error_reaches_middleware_as_an_sdk_error(
    make_client: Any, sleeps: list[float]
) -> None:
    seen: list[type[BaseException]] = []

    def watch(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        try:
            return call_next(request)
        except APIConnectionError as error:
            seen.append(type(error))
            raise

    recorder = Recorder(httpx2.ConnectError("refused"), ok())
    make_client(recorder, middleware=[watch]).users.get("usr_0001")
    assert seen == [APIConnectionError]
    assert len(recorder.requests) == 2


def test_an_error_of_the_users_own_code_propagates_unchanged(make_client: Any) -> None:
    class Boom(Exception):
        pass

    def explode(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        raise Boom("mine")

    recorder = Recorder(ok())
    with pytest.raises(Boom, match="mine"):
        make_client(recorder, middleware=[explode]).users.get("usr_0001")
    assert recorder.requests == []


def test_a_middleware_that_forgets_to_return_the_response_is_named(make_client: Any) -> None:
    def forgetful(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        call_next(request)

    with pytest.raises(ConfigurationError, match=r"middleware .*forgetful returned NoneType"):
        make_client(Recorder(ok()), middleware=[forgetful]).users.get("usr_0001")


def test_middleware_must_be_a_list_of_functions(make_client: Any) -> None:
    with pytest.raises(ConfigurationError, match="list of functions"):
        make_client(Recorder(), middleware=lambda r, n, c: n(r))
    with pytest.raises(ConfigurationError, match="must be a function"):
        make_client(Recorder(), middleware=["not callable"])


def test_with_options_replaces_the_middleware_and_shares_the_pool(make_client: Any) -> None:
    trail = Trail()
    recorder = Recorder(ok(), ok())
    client = make_client(recorder)
    traced = client.with_options(middleware=[trail.named("only")])
    client.users.get("usr_0001")
    traced.users.get("usr_0001")
    assert [event[:2] for event in trail.events] == [("only", "in"), ("only", "out")]
    assert traced._http is client._http


@pytest.mark.anyio
async def test_the_async_client_awaits_async_middleware(make_async_client: Any) -> None:
    attempts: list[int] = []

    async def count(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        attempts.append(context.attempt)
        return await call_next(request)

    recorder = Recorder(unavailable(), ok())
    client: AsyncUsersClient = make_async_client(recorder, middleware=[count])
    await client.users.get("usr_0001")
    assert attempts == [1, 2]


@pytest.mark.anyio
async def test_the_async_client_names_middleware_that_returns_no_response(
    make_async_client: Any,
) -> None:
    def passes_through(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        return call_next(request)  # the awaitable: fine

    async def forgetful(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        await call_next(request)

    recorder = Recorder(ok(), ok())
    await make_async_client(recorder, middleware=[passes_through]).users.get("usr_0001")
    client = make_async_client(recorder, middleware=[forgetful])
    with pytest.raises(ConfigurationError, match=r"forgetful returned NoneType"):
        await client.users.get("usr_0001")
