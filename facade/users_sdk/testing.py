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
  no server and no credential; in record mode they talk to
  ``USERS_API_BASE_URL`` with ``USERS_API_TOKEN`` (or ``USERS_API_KEY``) when
  it is set, else to ``users_api_server``;
- ``users_api_server``: the reference server, in this process on a free
  loopback port, deterministic, with a fresh database per test (per module
  with ``@pytest.mark.users_api_server(fresh="module")``); it needs
  ``pip install "users-sdk[testing,server]"``;
- every interaction a test records or replays checked against the spec this
  SDK was generated from (operation, parameters, status, response body): a
  mismatch fails the test, naming the cassette, the interaction and the field.
  ``users_sdk_cassette_check = warn`` (ini) or
  ``@pytest.mark.users_sdk_cassette_check("warn")`` makes it a
  ``CassetteSpecWarning``; ``off`` turns it off;
- ``pytest --users-sdk-cassettes-report``: after the run, the cassettes no test
  used, the interactions the spec no longer allows, and the users-sdk version
  each cassette was recorded with;
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
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from . import _cassette_check, _scrub, _testing_server
from ._client import AsyncUsersClient, UsersClient
from ._config import API_KEY_ENV, BASE_URL_ENV, TOKEN_ENV
from ._scrub import PLACEHOLDER_BASE_URL, scrub_body, scrub_cassette
from ._testing_server import UsersApiServer
from ._version import __version__

__all__ = [
    "PLACEHOLDER_BASE_URL",
    "REPLAY_TOKEN",
    "CassetteSpecWarning",
    "UsersApiServer",
    "body_matcher",
    "scrub_cassette",
    "vcr_config",
]

REPLAY_TOKEN = "replay-token"  # what the client sends in replay mode; never recorded
_CHECK_MODES = ("error", "warn", "off")
_REPORT_OPTION = "--users-sdk-cassettes-report"
# Resolved paths of the cassette files loaded this session (the report's "used"),
# and the collected tests' cassette folders (where it looks for unused ones).
_used_cassettes: set[Path] = set()
_test_folders: set[Path] = set()


class CassetteSpecWarning(UserWarning):
    """A recorded interaction the spec does not allow, with the check set to warn."""


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
        # pytest-recording's persister also loads the paths of `@pytest.mark.vcr("...")`.
        for path in (cassette_path, *getattr(self._inner, "extra_paths", ())):
            if os.path.isfile(path):
                _used_cassettes.add(Path(path).resolve())
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
    parser.addini(
        "users_sdk_cassette_check",
        default="error",
        help="users-sdk: recorded interactions the spec does not allow: error (default), warn, off",
    )
    parser.addini(
        "users_sdk_cassette_check_ignore",
        type="linelist",
        default=[],
        help="users-sdk: URL paths (prefixes) outside the spec that the check leaves alone",
    )
    parser.addini(
        "users_sdk_cassette_dirs",
        type="paths",
        default=[],
        help="users-sdk: folders the cassettes report reads (default: the tests' cassettes/)",
    )
    parser.getgroup("users-sdk").addoption(
        _REPORT_OPTION,
        action="store_true",
        default=False,
        help="after the run: cassettes no test used, stale interactions, recording versions",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "users_sdk_cassette_check(mode): check this test's cassette against the spec: "
        "error, warn or off",
    )
    config.addinivalue_line(
        "markers",
        'users_api_server(fresh="test"): a fresh reference-server database per "test" or "module"',
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


_CASSETTE = pytest.StashKey[Any]()
_LOADED = pytest.StashKey[int]()
_STALE = pytest.StashKey[bool]()  # failed the spec check: not run, so nothing was played


@pytest.fixture(autouse=True)
def _users_sdk_cassette(request: pytest.FixtureRequest) -> Iterator[None]:
    """Hands the test's cassette to the spec check, then fails a replayed test that
    left some of its interactions unplayed."""
    # A no-op unless pytest-recording runs: this plugin is installed with
    # users-sdk, also in suites that record with another tool (or not at all).
    if request.node.get_closest_marker("vcr") is None or not _recording_active(request.config):
        yield
        return
    cassette = request.getfixturevalue("vcr")
    if cassette is not None:
        # The spec check (pytest_runtest_call) reads what was loaded, then what was added.
        request.node.stash[_CASSETTE] = cassette
        request.node.stash[_LOADED] = len(cassette.data)
    yield
    if (
        cassette is None
        or request.node.stash.get(_STALE, False)
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


def _check_mode(item: pytest.Item) -> str:
    marker = item.get_closest_marker("users_sdk_cassette_check")
    mode = str(marker.args[0] if marker and marker.args else item.config.getini(
        "users_sdk_cassette_check"
    )).strip().lower()  # fmt: skip
    if mode not in _CHECK_MODES:
        raise pytest.UsageError(
            f"users_sdk_cassette_check is {mode!r}: use one of {', '.join(_CHECK_MODES)}"
        )
    return mode


def _shown(config: pytest.Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.rootpath).as_posix()
    except ValueError:
        return str(path)


def _check_interactions(item: pytest.Item, cassette: Any, start: int, advice: str) -> None:
    mode = _check_mode(item)
    if mode == "off":
        return
    exchanges = [
        (index, _cassette_check.exchange_from_vcr(request, response))
        for index, (request, response) in enumerate(cassette.data[start:], start=start + 1)
    ]
    found = _cassette_check.mismatches(
        _shown(item.config, Path(cassette._path)),
        exchanges,
        item.config.getini("users_sdk_cassette_check_ignore"),
    )
    if not found:
        return
    message = "\n".join(mismatch.message(advice) for mismatch in found)
    if mode == "warn":
        item.warn(CassetteSpecWarning(message))  # shown at the test, not at this line
    else:
        item.stash[_STALE] = True
        pytest.fail(message, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    cassette = item.stash.get(_CASSETTE, None)
    if cassette is None:
        return (yield)
    loaded = item.stash[_LOADED]
    # What was replayed is checked before the test runs: a stale answer would
    # otherwise fail it with a puzzling error of its own.
    _check_interactions(item, cassette, 0, _cassette_check.REPLAYED_ADVICE)
    result = yield
    _check_interactions(item, cassette, loaded, _cassette_check.RECORDED_ADVICE)
    return result


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.getoption(_REPORT_OPTION):
        # pytest-recording's default folder: <test dir>/cassettes/<module>/.
        _test_folders.update(Path(str(item.path)).parent / "cassettes" for item in session.items)


def _report_folders(config: pytest.Config) -> set[Path]:
    configured = config.getini("users_sdk_cassette_dirs")
    if configured:
        return {Path(folder) for folder in configured}
    # The tests' default folders, and those of the cassettes that were loaded
    # with their `cassettes` parent folder.
    folders = set(_test_folders)
    for path in _used_cassettes:
        folders.add(path.parent)
        if path.parent.parent.name == "cassettes":
            folders.add(path.parent.parent)
    return folders


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if not config.getoption(_REPORT_OPTION):
        return
    from ._cassette_report import render, scan

    entries = scan(
        _report_folders(config),
        _used_cassettes,
        lambda path: _shown(config, path),
        config.getini("users_sdk_cassette_check_ignore"),
    )
    terminalreporter.section("users-sdk cassettes report")
    for line in render(entries, __version__):
        terminalreporter.write_line(line)


def _client_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    if _record_mode(request) == "none":
        return {"base_url": PLACEHOLDER_BASE_URL, "token": REPLAY_TOKEN}
    base_url = os.environ.get(BASE_URL_ENV)
    if base_url:
        _scrub.recorded_origins.add(_scrub.origin_of(base_url))
        _scrub.recorded_secrets.update(
            value for value in (os.environ.get(TOKEN_ENV), os.environ.get(API_KEY_ENV)) if value
        )
        return {}
    if not _testing_server.server_available():
        pytest.fail(
            f"recording needs an API: set {BASE_URL_ENV} and {TOKEN_ENV} (or {API_KEY_ENV}), "
            "or pip install 'users-sdk[testing,server]' to record against users_api_server",
            pytrace=False,
        )
    server: UsersApiServer = request.getfixturevalue("users_api_server")
    return {"base_url": server.base_url, "token": server.token}


def _no_sleep(seconds: float) -> None:
    return None


async def _no_async_sleep(seconds: float) -> None:
    return None


@pytest.fixture(scope="session")
def _users_sdk_running_server() -> Iterator[UsersApiServer]:
    # One server for the session: a reset gives each test an empty database in
    # milliseconds, where a new server would take a second.
    with _testing_server.running_server() as server:
        yield server


@pytest.fixture
def users_api_server(
    request: pytest.FixtureRequest, _users_sdk_running_server: UsersApiServer
) -> UsersApiServer:
    """The reference server (base_url, token, api_key), with a fresh database for this
    test, or for this module with ``@pytest.mark.users_api_server(fresh="module")``."""
    server = _users_sdk_running_server
    marker = request.node.get_closest_marker("users_api_server")
    fresh = str(marker.kwargs.get("fresh", "test")) if marker else "test"
    if fresh not in ("test", "module"):
        raise pytest.UsageError(f'users_api_server(fresh={fresh!r}): use "test" or "module"')
    scope = request.node if fresh == "test" else request.node.module
    if server.fresh_for is not scope:
        server.reset()
        server.fresh_for = scope
    # Whatever records through it, the cassettes show neither its address nor its keys.
    _scrub.recorded_origins.add(_scrub.origin_of(server.base_url))
    _scrub.recorded_secrets.update((server.token, server.api_key))
    return server


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
