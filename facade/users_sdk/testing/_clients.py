"""The clients `users_client` and `async_users_client` hand to a test.

A test with no cassette (no `@pytest.mark.vcr`) talks to `users_api_server`,
the reference server in this process: no network, nothing recorded.
A test whose cassette replays (`--record-mode=none`, or `once` with the
cassette on disk) gets a client addressed to PLACEHOLDER_BASE_URL with a
dummy token: it needs no server, no credential and no network, and it does not
wait out the delays of replayed retries. A test that records talks to
USERS_API_BASE_URL with USERS_API_TOKEN (or USERS_API_KEY) when it is set,
else to `users_api_server`; its requests are addressed as the cassettes hold
them before VCR sees them (`_vcr_adapter`), so old and new recordings mix.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from .._environment import API_KEY_ENV, BASE_URL_ENV, TOKEN_ENV
from . import _scrub
from ._scrub import PLACEHOLDER_BASE_URL

if TYPE_CHECKING:
    from .. import AsyncUsersClient, UsersClient
    from ._server import UsersApiServer

__all__ = ["REPLAY_TOKEN", "ClientPlan", "async_client", "plan_for", "serve_fresh", "sync_client"]

REPLAY_TOKEN = "replay-token"  # what the client sends in replay mode; never recorded

_NO_CASSETTE = (
    "{fixture} without @pytest.mark.vcr talks to the users_api_server fixture, which "
    "needs the reference server: pip install 'users-sdk[testing,server]'. To record and "
    "replay a cassette instead, mark the test with @pytest.mark.vcr"
)


class ClientPlan:
    """How to build the test's client: its options, and whether it replays."""

    def __init__(self, options: dict[str, Any], replaying: bool) -> None:
        self.options = options
        self.replaying = replaying


def _live_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    base_url = os.environ.get(BASE_URL_ENV)
    if base_url:
        _scrub.recorded_origins.add(_scrub.origin_of(base_url))
        _scrub.recorded_secrets.update(
            value for value in (os.environ.get(TOKEN_ENV), os.environ.get(API_KEY_ENV)) if value
        )
        return {}  # the client reads the same variables
    from ._server import server_available

    if not server_available():
        pytest.fail(
            f"recording needs an API: set {BASE_URL_ENV} and {TOKEN_ENV} (or {API_KEY_ENV}), "
            "or pip install 'users-sdk[testing,server]' to record against users_api_server",
            pytrace=False,
        )
    server = request.getfixturevalue("users_api_server")
    return {"base_url": server.base_url, "token": server.token}


def plan_for(request: pytest.FixtureRequest, fixture: str) -> ClientPlan:
    """Replay or record, by the test's cassette (see the module docstring)."""
    if request.node.get_closest_marker("vcr") is None:
        # No cassette asked for: the in-process reference server, never the network.
        from ._server import server_available

        if not server_available():
            pytest.fail(_NO_CASSETTE.format(fixture=fixture), pytrace=False)
        server = request.getfixturevalue("users_api_server")
        return ClientPlan({"base_url": server.base_url, "token": server.token}, False)
    if not request.config.pluginmanager.has_plugin("recording"):
        pytest.fail(
            "@pytest.mark.vcr needs pytest-recording (is it disabled with -p no:recording?): "
            "pip install 'users-sdk[testing]'",
            pytrace=False,
        )
    cassette = request.getfixturevalue("vcr")  # None with --disable-recording: live calls
    if cassette is not None and cassette.write_protected:
        return ClientPlan({"base_url": PLACEHOLDER_BASE_URL, "token": REPLAY_TOKEN}, True)
    return ClientPlan(_live_options(request), False)


def serve_fresh(request: pytest.FixtureRequest, server: UsersApiServer) -> UsersApiServer:
    """The session's server, with its database reset for this test (or module)."""
    marker = request.node.get_closest_marker("users_api_server")
    fresh = str(marker.kwargs.get("fresh", "test")) if marker else "test"
    if fresh not in ("test", "module"):
        pytest.fail(f'users_api_server(fresh={fresh!r}): use "test" or "module"', pytrace=False)
    scope = request.node if fresh == "test" else request.node.module
    if server.fresh_for is not scope:
        server.reset()
        server.fresh_for = scope
    # Whatever records through it, the cassettes show neither its address nor its keys.
    _scrub.recorded_origins.add(_scrub.origin_of(server.base_url))
    _scrub.recorded_secrets.update((server.token, server.api_key))
    return server


def _no_sleep(seconds: float) -> None:
    return None


async def _no_async_sleep(seconds: float) -> None:
    return None


@contextmanager
def sync_client(request: pytest.FixtureRequest) -> Iterator[UsersClient]:
    from .. import UsersClient

    plan = plan_for(request, "users_client")
    with UsersClient(**plan.options) as client:
        if plan.replaying:
            client._sleep = _no_sleep  # replayed 429s and 503s need no real wait
        yield client


def async_client(request: pytest.FixtureRequest) -> AsyncUsersClient:
    import httpx2

    from .. import AsyncUsersClient, DefaultAsyncHttpx2Client

    plan = plan_for(request, "async_users_client")
    # No keep-alive: each connection closes with its response, inside the test's
    # event loop, so a plain (sync) fixture leaves nothing open to close later.
    http_client = DefaultAsyncHttpx2Client(
        limits=httpx2.Limits(max_connections=100, max_keepalive_connections=0)
    )
    client = AsyncUsersClient(**plan.options, http_client=http_client)
    if plan.replaying:
        client._sleep = _no_async_sleep
    return client
