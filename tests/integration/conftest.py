"""Record/replay integration tests against the reference server.

Replay (the default, and CI): `pytest tests/integration` plays the cassettes
in cassettes/<module>/<test>.yaml with no server and no network.
Record: `make record` starts the reference server (deterministic and test
modes) and runs these tests with `--record-mode=rewrite`.

Every test runs twice, against UsersClient ("sync") and AsyncUsersClient
("async"). Test bodies are written once, as coroutines: the sync client is
wrapped so that its (really synchronous) calls can be awaited.
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from users_sdk import AsyncUsersClient, SyncPage, UsersClient

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = Path(os.environ.get("USERS_SDK_CASSETTE_DIR", ROOT / "cassettes"))
# The reference server's development credentials (users_server.Settings).
OWNER_TOKEN = "owner-token"
VIEWER_TOKEN = "viewer-token"
OWNER_API_KEY = "owner-key"
RECORDING_SECRETS = (OWNER_TOKEN, VIEWER_TOKEN, OWNER_API_KEY, "viewer-key")


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / Path(str(request.node.fspath)).stem)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    from users_sdk.testing import vcr_config

    return vcr_config()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class ServerControl:
    """The reference server's test-mode endpoints (outside openapi.yaml)."""

    def __init__(self, base_url: str) -> None:
        self._http = httpx2.Client(base_url=base_url)

    def reset(self) -> None:
        self._http.post("/_test/reset").raise_for_status()

    def queue_fault(self, status: int, *, count: int = 1, retry_after: str | None = None) -> None:
        body: dict[str, Any] = {"status": status, "count": count}
        if retry_after is not None:
            body["retry_after"] = retry_after
        self._http.post("/_test/faults", json=body).raise_for_status()

    def outbox(self, *, kind: str, email: str) -> list[dict[str, Any]]:
        response = self._http.get("/_test/outbox", params={"kind": kind, "email": email})
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages

    def close(self) -> None:
        self._http.close()


@pytest.fixture
def server(users_client: UsersClient) -> Iterator[ServerControl]:
    """Test-mode control, and a fresh seeded state for every test."""
    control = ServerControl(users_client.base_url)
    control.reset()
    yield control
    control.close()


class AwaitablePage:
    """A SyncPage whose navigation can be awaited, like an AsyncPage's."""

    def __init__(self, page: SyncPage[Any]) -> None:
        self._page = page
        self.items = page.items
        self.cursor = page.cursor
        self.next_cursor = page.next_cursor
        self.previous_cursor = page.previous_cursor

    def has_next_page(self) -> bool:
        return self._page.has_next_page()

    def has_previous_page(self) -> bool:
        return self._page.has_previous_page()

    async def next_page(self) -> AwaitablePage:
        return AwaitablePage(self._page.next_page())

    async def previous_page(self) -> AwaitablePage:
        return AwaitablePage(self._page.previous_page())

    async def __aiter__(self) -> AsyncIterator[Any]:
        for item in self._page:
            yield item


class _AwaitableListing:
    """What AsyncUsers.list returns, for the sync client: await it or async-iterate it."""

    def __init__(self, fetch: Callable[[], SyncPage[Any]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Any:
        async def first() -> AwaitablePage:
            return AwaitablePage(self._fetch())

        return first().__await__()

    async def __aiter__(self) -> AsyncIterator[Any]:
        for item in self._fetch():
            yield item


class AwaitableUsers:
    """`UsersClient.users` with every call awaitable: one test body for both twins."""

    def __init__(self, users: Any) -> None:
        self._users = users

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._users, name)
        if name == "list":
            return lambda **kw: _AwaitableListing(functools.partial(method, **kw))

        async def call(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)

        return call


@pytest.fixture(params=["sync", "async"])
def client_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_users(
    client_kind: str, users_client: UsersClient
) -> AsyncIterator[Callable[..., Any]]:
    """Build `client.users` of the kind under test, with another credential if asked."""
    opened: list[Any] = []

    def make(**credential: str) -> Any:
        options: dict[str, Any] = {"base_url": users_client.base_url, **credential}
        if client_kind == "sync":
            client = UsersClient(**options)
            client._sleep = users_client._sleep
            opened.append(client)
            return AwaitableUsers(client.users)
        async_client = AsyncUsersClient(**options)
        async_client._sleep = _async_sleep_like(users_client)
        opened.append(async_client)
        return async_client.users

    yield make
    for client in opened:
        if isinstance(client, UsersClient):
            client.close()
        else:
            await client.close()


def _async_sleep_like(users_client: UsersClient) -> Callable[[float], Any]:
    async def sleep(seconds: float) -> None:
        users_client._sleep(seconds)

    return sleep


@pytest.fixture
async def users(
    client_kind: str, users_client: UsersClient, async_users_client: AsyncUsersClient
) -> Any:
    """`client.users` of the client under test, owner credential."""
    if client_kind == "sync":
        return AwaitableUsers(users_client.users)
    async_users_client._sleep = _async_sleep_like(users_client)
    return async_users_client.users


@pytest.fixture
def sleeps(users_client: UsersClient) -> list[float]:
    """The waits the clients asked for, instead of waiting (record and replay)."""
    recorded: list[float] = []
    users_client._sleep = recorded.append
    return recorded
