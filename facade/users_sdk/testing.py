"""Record/replay testing for code that uses users-sdk (a pytest plugin).

Installed with `pip install users-sdk[testing]` (pytest-recording), and loaded
by pytest automatically. It gives:

- scrubbing that no configuration can turn off: before any cassette is written,
  credentials (Authorization, X-API-Key, cookies, the token and key the client
  was built with), passwords and reset tokens in bodies and query strings
  become placeholders, and the API's address becomes ``http://users-api.test``;
- reproducible recordings: idempotency keys and dates become stable
  placeholders, and headers that differ between machines are not stored;
- body matching that still works after scrubbing (``match_on`` includes
  ``users_sdk_body``, which compares scrubbed bodies);
- ``users_client`` / ``async_users_client`` fixtures: in replay mode they need
  no server and no credential; in record mode they read
  ``USERS_API_BASE_URL`` and ``USERS_API_TOKEN`` (or ``USERS_API_KEY``);
- a failure when a replayed cassette has interactions the test never made
  (stale recordings), unless the ini option
  ``users_sdk_allow_unplayed_interactions = true`` is set.

Add your own VCR options without losing any of this:

    @pytest.fixture(scope="module")
    def vcr_config(users_sdk_vcr_config):
        return {**users_sdk_vcr_config, "ignore_hosts": ["telemetry.example.com"]}
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from . import _scrub
from ._client import AsyncUsersClient, UsersClient
from ._config import API_KEY_ENV, BASE_URL_ENV, TOKEN_ENV
from ._scrub import PLACEHOLDER_BASE_URL, scrub_body, scrub_cassette

__all__ = [
    "PLACEHOLDER_BASE_URL",
    "REPLAY_TOKEN",
    "body_matcher",
    "scrub_cassette",
    "vcr_config",
]

REPLAY_TOKEN = "replay-token"  # what the client sends in replay mode; never recorded


def vcr_config(**additions: Any) -> dict[str, Any]:
    """This SDK's VCR options, with your additions merged in.

    Scrubbing does not live in these options (it is applied when a cassette is
    saved), so no addition can switch it off.
    """
    config: dict[str, Any] = {
        "match_on": ["method", "scheme", "host", "port", "path", "query", "users_sdk_body"],
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
    }
    config.update(additions)
    return config


class _ScrubbingPersister:
    """Wraps VCR's persister: whatever the configuration, what reaches disk is scrubbed."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def load_cassette(self, cassette_path: str, serializer: Any) -> Any:
        return self._inner.load_cassette(cassette_path, serializer)

    def save_cassette(self, cassette_path: str, cassette_dict: Any, serializer: Any) -> None:
        self._inner.save_cassette(
            cassette_path, scrub_cassette(cassette_dict), serializer=serializer
        )


def body_matcher(live: Any, recorded: Any) -> None:
    """VCR matcher: bodies are equal once both are scrubbed (JSON compared as data)."""

    def normal(request: Any) -> Any:
        body = scrub_body(request.body)
        if body in (None, b"", ""):
            return None
        try:
            return json.loads(body)
        except ValueError:
            return body

    left, right = normal(live), normal(recorded)
    if left != right:
        raise AssertionError(f"bodies differ after scrubbing: {left!r} != {right!r}")


# ---- pytest plugin -----------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "users_sdk_allow_unplayed_interactions",
        type="bool",
        default=False,
        help="users-sdk: do not fail a replayed test whose cassette has interactions it never made",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_persister(_ScrubbingPersister(vcr.persister))
    vcr.register_matcher("users_sdk_body", body_matcher)
    vcr.match_on = tuple(vcr_config()["match_on"])


def _recording_active(config: pytest.Config) -> bool:
    """Whether pytest-recording runs this session (its fixtures exist)."""
    return bool(config.pluginmanager.has_plugin("recording"))


def _record_mode(request: pytest.FixtureRequest) -> str:
    """The record mode in force for this test: the cassette's own when the test
    uses one (CLI, vcr_config and marks already merged), else the CLI's."""
    if not _recording_active(request.config):
        pytest.fail(
            "users_sdk.testing needs pytest-recording: pip install 'users-sdk[testing]'",
            pytrace=False,
        )
    if request.node.get_closest_marker("vcr") is not None:
        cassette = request.getfixturevalue("vcr")
        if cassette is not None:
            return str(getattr(cassette.record_mode, "value", cassette.record_mode))
    mode: str = request.getfixturevalue("record_mode")
    return mode


@pytest.fixture(scope="session")
def users_sdk_vcr_config() -> dict[str, Any]:
    """This SDK's VCR options; merge yours into a copy."""
    return vcr_config()


@pytest.fixture(autouse=True)
def _users_sdk_require_all_played(request: pytest.FixtureRequest) -> Iterator[None]:
    # A no-op unless pytest-recording runs: this plugin is installed with
    # users-sdk, also in suites that record with another tool (or not at all).
    if request.node.get_closest_marker("vcr") is None or not _recording_active(request.config):
        yield
        return
    cassette = request.getfixturevalue("vcr")
    yield
    if (
        cassette is None
        or _record_mode(request) != "none"
        or request.config.getini("users_sdk_allow_unplayed_interactions")
        or cassette.all_played
    ):
        return
    unplayed = [
        f"{r.method} {r.uri}"
        for index, r in enumerate(cassette.requests)
        if cassette.play_counts[index] == 0
    ]
    pytest.fail(
        f"{len(unplayed)} recorded interaction(s) of {cassette._path} were never replayed: "
        f"{', '.join(unplayed)}. The test no longer makes them: re-record the cassette.",
        pytrace=False,
    )


def _client_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    if _record_mode(request) == "none":
        return {"base_url": PLACEHOLDER_BASE_URL, "token": REPLAY_TOKEN}
    base_url = os.environ.get(BASE_URL_ENV)
    if not base_url:
        pytest.fail(
            f"recording needs a live API: set {BASE_URL_ENV} and {TOKEN_ENV} (or {API_KEY_ENV})",
            pytrace=False,
        )
    _scrub.recorded_origins.add(_scrub.origin_of(base_url))
    _scrub.recorded_secrets.update(
        value for value in (os.environ.get(TOKEN_ENV), os.environ.get(API_KEY_ENV)) if value
    )
    return {}


def _no_sleep(seconds: float) -> None:
    return None


async def _no_async_sleep(seconds: float) -> None:
    return None


@pytest.fixture
def users_client(request: pytest.FixtureRequest) -> Iterator[UsersClient]:
    """A UsersClient for record/replay tests (see the module docstring)."""
    replaying = _record_mode(request) == "none"
    with UsersClient(**_client_options(request)) as client:
        if replaying:
            client._sleep = _no_sleep  # replayed 429s and 503s need no real wait
        yield client


@pytest.fixture
async def async_users_client(request: pytest.FixtureRequest) -> AsyncIterator[AsyncUsersClient]:
    """The async twin of users_client."""
    replaying = _record_mode(request) == "none"
    async with AsyncUsersClient(**_client_options(request)) as client:
        if replaying:
            client._sleep = _no_async_sleep
        yield client
