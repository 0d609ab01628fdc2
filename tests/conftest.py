from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# pytester runs throwaway suites that use users_sdk.testing as a user would.
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture
def anyio_backend() -> str:
    # The SDK's async client is tested under asyncio (what most users run).
    return "asyncio"
