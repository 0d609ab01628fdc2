"""Record/replay testing for code that uses users-sdk (a pytest plugin).

Installed with the `[testing]` extra and loaded by pytest automatically
(`-p no:users_sdk` switches it off); the guide "Testing with cassettes" has
the workflow. It only ever touches the Users API's interactions: those to
``http://users-api.test`` and to the API being recorded; a cassette's other
interactions, and tests that never call the Users API, are left to plain
pytest-recording. It gives:

- the ``users_client`` / ``async_users_client`` fixtures: with
  ``@pytest.mark.vcr`` they replay with no server and no credential, and
  record against ``USERS_API_BASE_URL`` (with ``USERS_API_TOKEN`` or
  ``USERS_API_KEY``) or else ``users_api_server``; without the mark they
  talk to ``users_api_server`` and record nothing;
- scrubbing before any cassette is saved (credentials, passwords, reset
  tokens; the address becomes ``http://users-api.test``), stable idempotency
  keys and dates, and body matching that still works after scrubbing; the
  ini options ``users_sdk_scrub``, ``users_sdk_scrub_fields`` and
  ``users_sdk_scrub_headers``, or ``@pytest.mark.users_sdk_scrub(...)``;
- ``users_api_server``: the reference server in this process, on a free
  loopback port (allowed through ``--block-network``), with a fresh database
  per test (``@pytest.mark.users_api_server(fresh="module")``: per module);
- every recorded or replayed interaction checked against the spec
  (``users_sdk_cassette_check = warn`` or ``off``, or the mark of that name),
  ``pytest --users-sdk-cassettes-report``, and a failure when a replayed test
  leaves interactions unplayed (``users_sdk_allow_unplayed_interactions``).
Its import stays cheap: what only a Users API test needs loads when one runs."""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import (
    _loopback,  # captures socket.connect before any test can block it
    _scrub,
)
from ._clients import REPLAY_TOKEN
from ._ledger import CassetteLedger
from ._scrub import PLACEHOLDER_BASE_URL

if TYPE_CHECKING:
    from .. import AsyncUsersClient, UsersClient
    from ._server import UsersApiServer

__all__ = [
    "PLACEHOLDER_BASE_URL",
    "REPLAY_TOKEN",
    "CassetteSpecWarning",
    "UsersApiServer",
    "body_matcher",
    "scrub_cassette",
    "vcr_config",
]

_REPORT_OPTION = "--users-sdk-cassettes-report"
_ledger = CassetteLedger()  # this process's cassettes, for the report


class CassetteSpecWarning(UserWarning):
    """A recorded interaction the spec does not allow, with the check set to warn."""


def vcr_config(**additions: Any) -> dict[str, Any]:
    """VCR options that suit the Users API's cassettes, with your additions merged in.

    Optional: scrubbing, the addressing and the body matching apply whatever
    the options say, so no addition can switch them off by accident.

    Examples:
        ```python
        from users_sdk.testing import vcr_config

        options = vcr_config(ignore_hosts=["telemetry.example.com"])  # your fixture returns it
        ```
    """
    return {"decode_compressed_response": True, "allow_playback_repeats": False, **additions}


def scrub_cassette(cassette: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a cassette (as VCR saves it) with the Users API's interactions
    scrubbed by the default rules; its other interactions are left as they are.

    Examples:
        ```python
        from vcr.request import Request
        from users_sdk.testing import scrub_cassette

        me = Request("GET", "http://users-api.test/v1/users/me", None, {"X-API-Key": "key"})
        answer = {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": ""}}
        scrubbed = scrub_cassette({"requests": [me], "responses": [answer]})
        print(scrubbed["requests"][0].headers)  # the key is a placeholder now
        ```
    """
    return _scrub.scrub_cassette(cassette)


def body_matcher(live: Any, recorded: Any) -> None:
    """VCR matcher: Users API bodies are equal once both are scrubbed (JSON compared
    as data). The plugin adds it to every cassette; it ignores other requests.

    Examples:
        ```python
        from vcr.request import Request
        from users_sdk.testing import body_matcher

        url = "http://users-api.test/v1/users"
        live = Request("POST", url, b'{"email": "ada@example.com", "role": "admin"}', {})
        recorded = Request("POST", url, b'{"role": "admin", "email": "ada@example.com"}', {})
        body_matcher(live, recorded)  # the same JSON: no AssertionError
        ```
    """
    from ._vcr_adapter import BodyMatcher

    BodyMatcher()(live, recorded)


def __getattr__(name: str) -> Any:
    # What only a Users API test needs loads on first use, not with the plugin.
    if name == "UsersApiServer":
        from ._server import UsersApiServer

        return UsersApiServer
    raise AttributeError(f"module 'users_sdk.testing' has no attribute {name!r}")


# ---- options, marks and the test in progress ------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    ini = parser.addini
    ini(
        "users_sdk_allow_unplayed_interactions",
        type="bool",
        default=False,
        help="users-sdk: do not fail a replayed test whose cassette has interactions it never made",
    )
    ini(
        "users_sdk_cassette_check",
        default="error",
        help="users-sdk: recorded interactions the spec does not allow: error (default), warn, off",
    )
    ini(
        "users_sdk_cassette_check_ignore",
        type="linelist",
        default=[],
        help="users-sdk: URL paths (prefixes) outside the spec that the check leaves alone",
    )
    ini(
        "users_sdk_cassette_dirs",
        type="paths",
        default=[],
        help="users-sdk: folders the cassettes report reads (default: the tests' cassettes/)",
    )
    ini(
        "users_sdk_scrub",
        type="bool",
        default=True,
        help="users-sdk: replace credentials and secret fields in Users API cassettes",
    )
    ini(
        "users_sdk_scrub_fields",
        type="linelist",
        default=[],
        help="users-sdk: more JSON fields and query parameters to scrub",
    )
    ini("users_sdk_scrub_headers", type="linelist", default=[],
        help="users-sdk: more headers to scrub")  # fmt: skip
    parser.getgroup("users-sdk").addoption(
        _REPORT_OPTION,
        action="store_true",
        default=False,
        help="after the run: cassettes no test used, stale interactions, recording versions",
    )


def pytest_configure(config: pytest.Config) -> None:
    for line in (
        "users_sdk_cassette_check(mode): check this test's cassette against the spec: "
        "error, warn or off",
        "users_sdk_scrub(enabled=True, *, fields=[], headers=[]): scrubbing of this test's "
        "Users API cassettes: off, or more names",
        'users_api_server(fresh="test"): a fresh reference-server database per "test" or "module"',
    ):
        config.addinivalue_line("markers", line)


_ITEM = pytest.StashKey[pytest.Item]()  # the test whose VCR pytest-recording is building


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    item.config.stash[_ITEM] = item
    try:
        return (yield)
    finally:
        del item.config.stash[_ITEM]


@pytest.hookimpl(optionalhook=True)
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    from ._scrub import DEFAULT_RULES
    from ._settings import scrub_rules
    from ._vcr_adapter import adapt

    item = config.stash.get(_ITEM, None)  # None: a VCR built outside a test's setup
    adapt(vcr, scrub_rules(item) if item is not None else DEFAULT_RULES, _ledger.used)


# ---- the spec check and the unplayed check -------------------------------------------

_CASSETTE = pytest.StashKey[Any]()
_LOADED = pytest.StashKey[int]()
_STALE = pytest.StashKey[bool]()  # failed the spec check: not run, so nothing was played
_PASSED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _users_sdk_cassette(request: pytest.FixtureRequest) -> Iterator[None]:
    """Hands the test's cassette to the spec check, then fails a replayed test that
    passed but left some of its Users API interactions unplayed."""
    node = request.node
    if node.get_closest_marker("vcr") is None or not node.config.pluginmanager.has_plugin(
        "recording"
    ):
        yield
        return
    cassette = request.getfixturevalue("vcr")
    if cassette is not None:
        node.stash[_CASSETTE] = cassette
        node.stash[_LOADED] = len(cassette.data)
    yield
    if (
        cassette is not None
        and cassette.write_protected
        and node.stash.get(_PASSED, False)
        and not node.stash.get(_STALE, False)
        and not node.config.getini("users_sdk_allow_unplayed_interactions")
    ):
        from ._checks import fail_on_unplayed

        fail_on_unplayed(node.config, cassette)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    cassette = item.stash.get(_CASSETTE, None)
    if cassette is None:
        return (yield)
    from ._checks import check_interactions

    loaded = item.stash[_LOADED]
    # What was replayed is checked before the test runs: a stale answer would
    # otherwise fail it with a puzzling error of its own.
    if not check_interactions(item, cassette, 0, replayed=True):
        item.stash[_STALE] = True
    result = yield
    check_interactions(item, cassette, loaded, replayed=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Generator[None, Any, Any]:
    report = yield
    if report.when == "call":
        item.stash[_PASSED] = report.passed
    return report


# ---- the cassettes report ----------------------------------------------------------


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.getoption(_REPORT_OPTION):
        _ledger.note_tests(Path(str(item.path)) for item in session.items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None and session.config.getoption(_REPORT_OPTION):
        from .. import _drift

        _ledger.note_drift(_drift.seen())
        worker_output["users_sdk_cassettes"] = _ledger.to_json()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    # pytest-xdist: each worker's cassettes reach the controller, which reports.
    shared = getattr(node, "workeroutput", {}).get("users_sdk_cassettes")
    if shared:
        _ledger.merge_json(shared)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if not config.getoption(_REPORT_OPTION) or hasattr(config, "workerinput"):
        return
    from ._checks import report_lines

    terminalreporter.section("users-sdk cassettes report")
    for line in report_lines(config, _ledger):
        terminalreporter.write_line(line)


# ---- fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def users_sdk_vcr_config() -> dict[str, Any]:
    """VCR options that suit the Users API's cassettes; merge yours into a copy.

    Examples:
        ```python
        import pytest

        @pytest.fixture(scope="module")
        def vcr_config(users_sdk_vcr_config):
            return {**users_sdk_vcr_config, "ignore_hosts": ["telemetry.example.com"]}

        def test_options(vcr_config):
            assert vcr_config["ignore_hosts"] == ["telemetry.example.com"]
        ```
    """
    return vcr_config()


@pytest.fixture(scope="session")
def _users_sdk_running_server() -> Iterator[UsersApiServer]:
    from ._server import running_server

    # One server for the session: a reset gives each test an empty database in
    # milliseconds, where a new server would take a second.
    with running_server() as server:
        yield server


@pytest.fixture
def users_api_server(
    request: pytest.FixtureRequest, _users_sdk_running_server: UsersApiServer
) -> Iterator[UsersApiServer]:
    """The reference server (base_url, token, api_key), with a fresh database for this
    test, or for this module with ``@pytest.mark.users_api_server(fresh="module")``.

    Examples:
        ```python
        from users_sdk import UsersClient

        def test_against_the_server(users_api_server):
            with UsersClient(base_url=users_api_server.base_url, token=users_api_server.token) as c:
                assert c.users.me().role == "owner"
        ```
    """
    from ._clients import serve_fresh

    server = serve_fresh(request, _users_sdk_running_server)
    with _loopback.allowed(server.host, server.port):
        yield server


@pytest.fixture
def users_client(request: pytest.FixtureRequest) -> Iterator[UsersClient]:
    """A UsersClient for record/replay tests (see the module docstring).

    Examples:
        ```python
        import pytest

        @pytest.mark.vcr  # replays cassettes/<module>/test_me.yaml; records it once
        def test_me(users_client):
            assert users_client.users.me().role == "owner"
        ```
    """
    from ._clients import sync_client

    with sync_client(request) as client:
        yield client


@pytest.fixture
def async_users_client(request: pytest.FixtureRequest) -> AsyncUsersClient:
    """The async twin of users_client. A plain fixture, so that it works under
    pytest-asyncio (strict or auto) and anyio alike; it keeps no connection
    open between requests, so nothing is left to close when the test's loop ends.

    Examples:
        ```python
        import pytest

        @pytest.mark.anyio
        async def test_me(async_users_client):
            assert (await async_users_client.users.me()).role == "owner"
        ```
    """
    from ._clients import async_client

    return async_client(request)
