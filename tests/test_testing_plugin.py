"""users_sdk.testing used the way a user would: a throwaway suite, run by pytester,
records against the reference server, then replays with the network blocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from doc_blocks import pytest_files
from users_server import Settings, run_server

SETTINGS = Settings(port=0, test_mode=True)
PASSWORD = "my very secret passphrase"

# Beyond the testing guide's examples: a password and a token in a body, a test that
# tries to replace the scrubbing with its own mark, and the async fixture.
EXTRA_TESTS = f'''
import pytest

from users_sdk import BadRequestError


@pytest.mark.vcr(before_record_request=lambda request: request, filter_headers=[])
def test_a_mark_cannot_switch_scrubbing_off(users_client):
    with pytest.raises(BadRequestError):
        users_client.users.set_password("rst_not_a_real_token", "{PASSWORD}")


@pytest.mark.vcr
@pytest.mark.anyio
async def test_async_fixture(async_users_client):
    me = await async_users_client.users.me()
    assert me.role == "owner"


@pytest.fixture
def anyio_backend():
    return "asyncio"
'''


@pytest.fixture
def user_suite(pytester: pytest.Pytester) -> pytest.Pytester:
    for name, text in pytest_files().items():
        if name == "conftest.py":
            pytester.makeconftest(text)
        else:
            pytester.makepyfile(**{name.removesuffix(".py"): text})
    pytester.makepyfile(test_more=EXTRA_TESTS)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def cassette_texts(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in root.rglob("*.yaml")
    }


def test_record_then_replay_with_no_credential_in_the_cassettes(
    user_suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    with run_server(SETTINGS) as base_url:
        monkeypatch.setenv("USERS_API_BASE_URL", base_url)
        monkeypatch.setenv("USERS_API_TOKEN", SETTINGS.owner_token)
        recorded = user_suite.runpytest_subprocess("--record-mode=once", "-p", "no:cacheprovider")
    recorded.assert_outcomes(passed=4)

    cassettes = cassette_texts(user_suite.path)
    assert sorted(cassettes) == [
        "cassettes/test_async_onboarding/test_me.yaml",
        "cassettes/test_more/test_a_mark_cannot_switch_scrubbing_off.yaml",
        "cassettes/test_more/test_async_fixture.yaml",
        "cassettes/test_onboarding/test_onboard.yaml",
    ]
    everything = "\n".join(cassettes.values())
    for secret in (SETTINGS.owner_token, SETTINGS.owner_api_key, PASSWORD, "rst_not_a_real_token"):
        assert secret not in everything
    assert base_url not in everything
    assert "Bearer <TOKEN>" in everything
    assert "<REDACTED-PASSWORD>" in everything
    assert "http://users-api.test/v1/users" in everything

    monkeypatch.delenv("USERS_API_BASE_URL")
    monkeypatch.delenv("USERS_API_TOKEN")
    replayed = user_suite.runpytest_subprocess("--block-network", "-p", "no:cacheprovider")
    replayed.assert_outcomes(passed=4)
    assert cassette_texts(user_suite.path) == cassettes  # replay wrote nothing


def test_replay_without_a_cassette_fails_clearly(user_suite: pytest.Pytester) -> None:
    result = user_suite.runpytest_subprocess(
        "--block-network", "-p", "no:cacheprovider", "test_onboarding.py"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*CannotOverwriteExistingCassetteException*"])


def test_without_pytest_recording_the_plugin_stays_out_of_the_way(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_plain="""
        import pytest

        @pytest.mark.vcr
        def test_unrelated():
            assert True

        @pytest.mark.vcr
        def test_needs_the_fixture(users_client):
            pass

        def test_without_a_cassette_the_client_talks_to_the_server(users_client):
            assert users_client.users.me().role == "owner"
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:recording", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.vcr needs pytest-recording*"])


def test_without_the_server_extra_a_test_without_a_cassette_says_what_to_install(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`users_server` itself imports without the [server] extra (its console script
    must say what is missing), so the plugin asks it which dependency is absent."""
    from users_server import requirements

    monkeypatch.setitem(requirements.SERVER_EXTRA, "fastapi", "fastapi_not_installed_here")
    pytester.makepyfile(
        test_plain="""
        def test_without_a_cassette(users_client):
            users_client.users.me()
        """
    )
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(errors=1)  # the fixture fails: the test never ran
    install = "needs the reference server: pip install 'users-sdk[testing,server]'"
    assert install in result.stdout.str()
