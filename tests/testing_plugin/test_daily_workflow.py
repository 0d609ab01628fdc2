"""A team's daily record/replay workflow with users_sdk.testing, run the way users
run it: a throwaway suite (pytester, a subprocess each time) records two tests
against the users_api_server fixture, then a sync test, a pytest-asyncio test
and an anyio test are added and recorded with `--record-mode=once`, and the
suite is replayed offline, re-run with `new_episodes` and `all`, and run under
pytest-xdist with the cassettes report. The old cassettes never change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIRST_TESTS = """
import pytest


@pytest.mark.vcr
def test_onboard(users_client):
    user = users_client.users.create(email="ada@example.com", role="admin")
    assert users_client.users.get(user.id).email == "ada@example.com"


@pytest.mark.vcr
def test_listing(users_client):
    users_client.users.create(email="grace@example.com")
    assert "grace@example.com" in [user.email for user in users_client.users.list()]
"""

ADDED_TESTS = """
import pytest


@pytest.mark.vcr
def test_added_sync(users_client):
    assert users_client.users.me().role == "owner"


@pytest.mark.vcr
@pytest.mark.asyncio
async def test_added_with_pytest_asyncio(async_users_client):
    user = await async_users_client.users.create(email="async@example.com")
    assert (await async_users_client.users.get(user.id)).email == "async@example.com"


@pytest.mark.vcr
@pytest.mark.anyio
async def test_added_with_anyio(async_users_client):
    assert (await async_users_client.users.me()).role == "owner"


@pytest.fixture
def anyio_backend():
    return "asyncio"
"""

FIRST = ("cassettes/test_first/test_onboard.yaml", "cassettes/test_first/test_listing.yaml")
ADDED = (
    "cassettes/test_added/test_added_sync.yaml",
    "cassettes/test_added/test_added_with_pytest_asyncio.yaml",
    "cassettes/test_added/test_added_with_anyio.yaml",
)


def cassettes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml")}


# Plugins of this venv that the throwaway suite does not use (they cost a second a run).
ARGS = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest")
ARGS += ("-o", "asyncio_default_fixture_loop_scope=function")


def run(suite: pytest.Pytester, *args: str) -> pytest.RunResult:
    return suite.runpytest_subprocess(*ARGS, *args)


@pytest.fixture(autouse=True)
def no_live_api(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("USERS_API_BASE_URL", "USERS_API_TOKEN", "USERS_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def first_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first two tests, recorded once against the users_api_server fixture."""
    folder = tmp_path_factory.mktemp("first_recording")
    (folder / "test_first.py").write_text(FIRST_TESTS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("USERS_API_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *ARGS, "--record-mode=once", "-q"],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(cassettes(folder)) == sorted(FIRST)
    return folder


@pytest.fixture
def recorded(pytester: pytest.Pytester, first_recording: Path) -> pytest.Pytester:
    """A copy of the first recording, to change at will."""
    shutil.copytree(first_recording, pytester.path, dirs_exist_ok=True)
    return pytester


def test_adding_tests_records_only_theirs_and_every_mode_keeps_the_old_bytes(
    recorded: pytest.Pytester,
) -> None:
    before = cassettes(recorded.path)
    recorded.makepyfile(test_added=ADDED_TESTS)

    run(recorded, "--record-mode=once").assert_outcomes(passed=5)
    after_once = cassettes(recorded.path)
    assert sorted(after_once) == sorted(FIRST + ADDED)
    assert {name: after_once[name] for name in FIRST} == before  # byte-identical

    # Offline replay, then the modes that may write: nothing is added or changed.
    run(recorded, "--block-network").assert_outcomes(passed=5)
    run(recorded, "--record-mode=new_episodes").assert_outcomes(passed=5)
    assert cassettes(recorded.path) == after_once
    run(recorded, "--record-mode=all").assert_outcomes(passed=5)
    assert cassettes(recorded.path) == after_once  # re-recorded: the same bytes
    run(recorded, "--block-network").assert_outcomes(passed=5)


def test_rewrite_refreshes_one_cassette_and_leaves_the_others(recorded: pytest.Pytester) -> None:
    onboard, listing = (recorded.path / name for name in FIRST)
    before = cassettes(recorded.path)
    onboard.write_text("stale: true\n", encoding="utf-8")  # what a refresh must replace
    listing_stat = listing.stat()
    run(recorded, "--record-mode=rewrite", "test_first.py::test_onboard").assert_outcomes(passed=1)
    assert cassettes(recorded.path) == before  # re-recorded: the same bytes as the first time
    assert listing.stat().st_mtime_ns == listing_stat.st_mtime_ns  # never written


def test_a_conftest_record_mode_of_once_still_replays_offline(recorded: pytest.Pytester) -> None:
    recorded.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="module")
        def vcr_config():
            return {"record_mode": "once"}
        """
    )
    before = cassettes(recorded.path)
    run(recorded, "--block-network").assert_outcomes(passed=2)
    assert cassettes(recorded.path) == before


def test_pytest_asyncio_auto_mode_runs_the_async_fixture(recorded: pytest.Pytester) -> None:
    recorded.makepyfile(
        test_auto="""
        import pytest

        @pytest.mark.vcr
        async def test_unmarked_coroutine(async_users_client):
            assert (await async_users_client.users.me()).role == "owner"
        """
    )
    run(recorded, "--record-mode=once", "-o", "asyncio_mode=auto").assert_outcomes(passed=3)
    run(recorded, "--block-network", "-o", "asyncio_mode=auto").assert_outcomes(passed=3)


def test_parallel_workers_replay_and_the_report_counts_every_cassette(
    recorded: pytest.Pytester,
) -> None:
    recorded.makepyfile(test_added=ADDED_TESTS)
    run(recorded, "--record-mode=once", "-n", "2").assert_outcomes(passed=5)  # records in parallel
    stale = recorded.path / "cassettes/test_first/test_removed_long_ago.yaml"
    stale.write_bytes((recorded.path / FIRST[0]).read_bytes())

    result = run(recorded, "--block-network", "-n", "2", "--users-sdk-cassettes-report")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*users-sdk cassettes report*",
            "6 cassette(s); 1 unused by the tests that ran; 0 stale against the spec*",
            "unused (no test that ran loaded them*",
            "  cassettes/test_first/test_removed_long_ago.yaml",
        ]
    )
    for name in FIRST + ADDED:
        assert f"  {name}: users-sdk " in result.stdout.str()


def test_an_unplayed_interaction_fails_a_passing_test_only(recorded: pytest.Pytester) -> None:
    recorded.makepyfile(
        test_first=FIRST_TESTS.replace(
            'assert users_client.users.get(user.id).email == "ada@example.com"',
            'assert user.email == "ada@example.com"',
        ).replace('assert "grace@example.com" in', 'assert "nobody@example.com" in')
    )
    result = run(recorded, "--block-network")
    # test_onboard passes, then its teardown reports the GET it no longer makes;
    # test_listing fails on its own assertion, with no second report on top.
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_onboard*",
            "1 recorded interaction(s) of cassettes/test_first/test_onboard.yaml were never "
            "replayed: GET http://users-api.test/v1/users/usr_0003.*",
        ]
    )
    assert "test_listing.yaml were never replayed" not in result.stdout.str()


def test_an_extra_cassette_is_not_copied_into_the_default_one(recorded: pytest.Pytester) -> None:
    shared = recorded.path / "cassettes/test_first/shared.yaml"
    shared.write_bytes((recorded.path / FIRST[0]).read_bytes())
    recorded.makepyfile(
        test_first="""
        import pytest

        @pytest.mark.vcr("shared.yaml")
        def test_listing(users_client):
            assert users_client.users.me().role == "owner"
        """
    )
    run(recorded, "--record-mode=rewrite").assert_outcomes(passed=1)
    own = (recorded.path / FIRST[1]).read_text(encoding="utf-8")
    assert own.count("- request:") == 1  # only GET /v1/users/me
    assert "/v1/users/me" in own
    assert "ada@example.com" not in own
    assert shared.read_bytes() == (recorded.path / FIRST[0]).read_bytes()


def test_the_server_fixture_is_reachable_under_block_network(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_direct="""
        import httpx2
        import pytest
        from users_sdk import UsersClient

        def test_direct(users_api_server):
            with UsersClient(base_url=users_api_server.base_url, token=users_api_server.token) as c:
                assert c.users.me().role == "owner"

        def test_unmarked_client_uses_the_server(users_client):
            assert users_client.users.me().role == "owner"

        def test_other_hosts_stay_blocked(users_api_server):
            with pytest.raises(Exception, match="Network is disabled"):
                httpx2.get("http://127.0.0.1:9/")
        """
    )
    run(pytester, "--block-network").assert_outcomes(passed=3)
