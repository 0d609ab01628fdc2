from __future__ import annotations

from pathlib import Path

import pytest

# Another API's loopback service, for two modules that prove the plugin leaves it alone.
from testing_plugin.other_api_service import other_api  # noqa: F401 (a fixture)

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
