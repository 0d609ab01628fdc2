"""Unit-test helpers: a UsersClient whose HTTP goes to an httpx2.MockTransport.

`make_client` and `make_async_client` build the client on the HTTP library the
`flavour` fixture names: httpx2 here; a module that redefines `flavour` with
both params runs its tests on a caller's legacy httpx client too, through
the same handlers (responses and exceptions are translated to httpx's).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from users_sdk import AsyncUsersClient, UsersClient

BASE_URL = "http://users.test"
TOKEN = "tok_unit_secret_0123456789"
Handler = Callable[[httpx2.Request], httpx2.Response]


def user_json(**overrides: Any) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": "usr_0001",
        "email": "ada@example.com",
        "display_name": "Ada Lovelace",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "username": "ada",
        "role": "admin",
        "status": "active",
        "phone": None,
        "department": "R&D",
        "groups": ["engineering"],
        "permissions": [],
        "metadata": {"team": "core"},
        "account_id": "acc_0001",
        "is_service_user": False,
        "last_login_at": None,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:01Z",
        "version": 1,
    }
    user.update(overrides)
    return user


def json_response(status: int, body: Any, **headers: str) -> httpx2.Response:
    content_type = "application/problem+json" if status >= 400 else "application/json"
    return httpx2.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": content_type, "x-request-id": "req_unit_1", **headers},
    )


def problem(status: int, detail: str = "something is wrong", **extra: Any) -> dict[str, Any]:
    return {
        "type": "https://users.example.com/problems/x",
        "title": "Title",
        "status": status,
        "detail": detail,
        "instance": "/v1/users",
        "request_id": "req_unit_1",
        **extra,
    }


class Recorder:
    """A MockTransport handler that records requests and plays queued responses."""

    def __init__(self, *responses: httpx2.Response | Exception | Handler) -> None:
        self.queue = list(responses)
        self.requests: list[httpx2.Request] = []
        # The headers as each attempt sent them: a call re-sends one Request
        # object, whose credential header may change between attempts.
        self.sent_headers: list[httpx2.Headers] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        self.sent_headers.append(request.headers.copy())
        if not self.queue:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        item = self.queue.pop(0)
        if isinstance(item, Exception):
            raise item
        if callable(item):
            return item(request)
        return item


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture(params=["httpx2"])
def flavour(request: pytest.FixtureRequest) -> str:
    """The HTTP library of the client under test: "httpx2", or "httpx" (legacy)."""
    return str(request.param)


def legacy_handler(handler: Handler) -> Callable[[Any], Any]:
    """`handler`, serving a legacy httpx transport: its httpx2 answers and
    exceptions become httpx's."""
    import httpx

    def serve(request: Any) -> Any:
        try:
            answer = handler(request)
        except httpx2.RequestError as error:
            raise getattr(httpx, type(error).__name__)(str(error), request=request) from None
        return httpx.Response(
            answer.status_code, headers=answer.headers.multi_items(), content=answer.content
        )

    return serve


def http_client_for(flavour: str, handler: Handler, *, asynchronous: bool) -> Any:
    if flavour == "httpx2":
        transport = httpx2.MockTransport(handler)
        return (
            httpx2.AsyncClient(transport=transport)
            if asynchronous
            else httpx2.Client(transport=transport)
        )
    import httpx

    legacy = httpx.MockTransport(legacy_handler(handler))
    return httpx.AsyncClient(transport=legacy) if asynchronous else httpx.Client(transport=legacy)


def new_client(cls: type[Any], http_client: Any, options: dict[str, Any]) -> Any:
    if type(http_client).__module__.startswith("httpx2"):
        return cls(http_client=http_client, **options)
    with pytest.warns(DeprecationWarning, match="legacy httpx"):
        return cls(http_client=http_client, **options)


@pytest.fixture
def make_client(sleeps: Sleeps, flavour: str) -> Callable[..., UsersClient]:
    clients: list[UsersClient] = []

    def make(handler: Handler, **options: Any) -> UsersClient:
        options.setdefault("base_url", BASE_URL)
        options.setdefault("token", TOKEN)
        http_client = http_client_for(flavour, handler, asynchronous=False)
        client: UsersClient = new_client(UsersClient, http_client, options)
        client._sleep = sleeps
        clients.append(client)
        return client

    yield make
    for client in clients:
        client._http.close()


@pytest.fixture
def make_async_client(sleeps: Sleeps, flavour: str) -> Callable[..., AsyncUsersClient]:
    def make(handler: Handler, **options: Any) -> AsyncUsersClient:
        options.setdefault("base_url", BASE_URL)
        options.setdefault("token", TOKEN)
        http_client = http_client_for(flavour, handler, asynchronous=True)
        client: AsyncUsersClient = new_client(AsyncUsersClient, http_client, options)

        async def record_sleep(seconds: float) -> None:
            sleeps.append(seconds)

        client._sleep = record_sleep
        return client

    return make
