"""Unit-test helpers: a UsersClient whose HTTP goes to an httpx2.MockTransport."""

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

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
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


@pytest.fixture
def make_client(sleeps: Sleeps) -> Callable[..., UsersClient]:
    clients: list[UsersClient] = []

    def make(handler: Handler, **options: Any) -> UsersClient:
        options.setdefault("base_url", BASE_URL)
        options.setdefault("token", TOKEN)
        client = UsersClient(
            http_client=httpx2.Client(transport=httpx2.MockTransport(handler)), **options
        )
        client._sleep = sleeps
        clients.append(client)
        return client

    yield make
    for client in clients:
        client._http.close()


@pytest.fixture
def make_async_client(sleeps: Sleeps) -> Callable[..., AsyncUsersClient]:
    def make(handler: Handler, **options: Any) -> AsyncUsersClient:
        options.setdefault("base_url", BASE_URL)
        options.setdefault("token", TOKEN)
        client = AsyncUsersClient(
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)), **options
        )

        async def record_sleep(seconds: float) -> None:
            sleeps.append(seconds)

        client._sleep = record_sleep
        return client

    return make
