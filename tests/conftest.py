from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def span_exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An in-memory OpenTelemetry exporter receiving the SDK's spans for this test.

    Set through `_tracing._provider_override`, a fresh provider per test: OTel
    lets the global provider be set once per process, so no test sets it."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from users_sdk import _tracing

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(_tracing, "_provider_override", provider)
    yield exporter
    provider.shutdown()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The spec rehearsal's tests first: they take minutes each (a copy of the
    project, regenerated, runs its suite), so under pytest-xdist (CI runs -n 2)
    the other worker runs the short tests meanwhile, instead of both waiting on
    the rehearsal at the end. The move is of the whole module, so no module's
    fixtures are set up twice; the order within every module stays."""
    items.sort(key=lambda item: item.get_closest_marker("spec_evolution") is None)
