"""Shared pieces of the reliability tests: the real reference server, the
credentials, and a scan for secrets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from users_server import Settings, run_server

OWNER_TOKEN = "owner-token"
OWNER_API_KEY = "owner-key"


@pytest.fixture(scope="session")
def reference_server() -> Iterator[str]:
    """The real reference server (FastAPI, uvicorn, SQLite) on a free loopback port."""
    with run_server(Settings(port=0, test_mode=True, deterministic=False)) as base_url:
        yield base_url
