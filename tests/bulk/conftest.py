"""The real reference server for the bulk tests, its test-mode controls, and
clients with the owner's credential."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import integration.conftest
import pytest
from users_server import Settings, run_server

from users_sdk import AsyncUsersClient, UsersClient

OWNER_TOKEN = "owner-token"


@pytest.fixture(scope="session")
def bulk_server() -> Iterator[str]:
    """The reference server (FastAPI, uvicorn, SQLite) on a free loopback port."""
    with run_server(Settings(port=0, test_mode=True, deterministic=False)) as base_url:
        yield base_url


class ServerControl(integration.conftest.ServerControl):
    """The test-mode endpoints of the integration tests, and two more."""

    def clear_faults(self) -> None:
        self._http.delete("/_test/faults").raise_for_status()

    def invitations(self) -> list[dict[str, Any]]:
        """Every invitation "mailed" since the last reset, oldest first."""
        response = self._http.get("/_test/outbox", params={"kind": "invitation"})
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages


@pytest.fixture
def server(bulk_server: str) -> Iterator[ServerControl]:
    """Test-mode control, and a freshly seeded server for every test."""
    control = ServerControl(bulk_server)
    control.reset()
    yield control
    control.clear_faults()
    control.close()


@pytest.fixture
def client(bulk_server: str, server: ServerControl) -> Iterator[UsersClient]:
    with UsersClient(base_url=bulk_server, token=OWNER_TOKEN) as users_client:
        yield users_client


@pytest.fixture
async def async_client(bulk_server: str, server: ServerControl) -> AsyncIterator[AsyncUsersClient]:
    async with AsyncUsersClient(base_url=bulk_server, token=OWNER_TOKEN) as users_client:
        yield users_client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def rows(count: int, domain: str = "bulk.example", start: int = 0) -> Iterator[dict[str, str]]:
    """`count` good rows, lazily, as a CSV reader would give them."""
    for number in range(start, start + count):
        yield {"email": f"user{number}@{domain}", "display_name": f"User {number}"}


def emails(client: UsersClient, domain: str = "bulk.example") -> list[str]:
    """The emails of every user at `domain`, as the server lists them."""
    return [user.email for user in client.users.list(email_domain=domain, limit=100)]
