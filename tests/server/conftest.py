"""Fixtures for the reference server's tests.

Most tests share one real server (loopback HTTP, deterministic, test mode)
and start from its seeded state: `POST /_test/reset` before each test is much
cheaper than a new server. Tests that need other settings start their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest
from users_server import Settings, run_server


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    with run_server(Settings(port=0, deterministic=True, test_mode=True)) as url:
        yield url


@pytest.fixture(scope="session")
def _shared_client(server_url: str) -> Iterator[httpx2.Client]:
    # One client for the session: making an httpx2.Client costs ~50 ms (its SSL context).
    with httpx2.Client(base_url=server_url, timeout=10) as client:
        yield client


@pytest.fixture
def api(_shared_client: httpx2.Client) -> httpx2.Client:
    """A client of the shared server, which is reset to its seeded state first."""
    _shared_client.post("/_test/reset").raise_for_status()
    return _shared_client
