"""Scrubbing of the Users API's cassettes can be added to and switched off, per ini
and per test, and stays safe by default. A throwaway suite (pytester, a
subprocess) records against the users_api_server fixture, then replays offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = """
import pytest

from users_sdk import BadRequestError

PASSWORD = "correct-horse-battery-staple"


@pytest.mark.vcr
def test_defaults(users_client):
    user = users_client.users.create(email="ada@example.com")
    assert users_client.users.get(user.id).email == "ada@example.com"
    with pytest.raises(BadRequestError):
        users_client.users.set_password("rst_not_a_real_token", PASSWORD)


@pytest.mark.vcr
@pytest.mark.users_sdk_scrub(fields=["display_name"], headers=["x-request-id"])
def test_more_names(users_client):
    users_client.users.create(email="grace@example.com", display_name="Grace H.")


@pytest.mark.vcr
@pytest.mark.users_sdk_scrub(False)
def test_switched_off(users_client):
    with pytest.raises(BadRequestError):
        users_client.users.set_password("rst_not_a_real_token", PASSWORD)
"""
INI = """
[pytest]
users_sdk_scrub_fields = role
asyncio_default_fixture_loop_scope = function
"""
ARGS = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scrub_settings")
    (folder / "test_app.py").write_text(SUITE, encoding="utf-8")
    (folder / "pytest.ini").write_text(INI, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("USERS_API_")}
    for mode in ("--record-mode=once", "--block-network"):
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *ARGS, mode, "-q"],
            cwd=folder, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{mode}:\n{done.stdout}{done.stderr}"
    return folder / "cassettes" / "test_app"


def test_the_defaults_replace_credentials_and_passwords(recorded: Path) -> None:
    text = (recorded / "test_defaults.yaml").read_text(encoding="utf-8")
    assert "correct-horse-battery-staple" not in text
    assert "rst_not_a_real_token" not in text
    assert "<REDACTED-PASSWORD>" in text
    assert "Bearer <TOKEN>" in text
    assert "owner-token" not in text
    # The ini added `role`: in the request body and in every answer.
    assert '"role":"<REDACTED>"' in text
    assert '"role":"member"' not in text


def test_a_mark_adds_fields_and_headers(recorded: Path) -> None:
    text = (recorded / "test_more_names.yaml").read_text(encoding="utf-8")
    assert "Grace H." not in text
    assert '"display_name":"<REDACTED>"' in text
    assert "x-request-id:\n      - <redacted>" in text.lower()
    assert '"role":"<REDACTED>"' in text  # the ini's addition still applies


def test_a_mark_switches_scrubbing_off_but_keeps_the_address(recorded: Path) -> None:
    text = (recorded / "test_switched_off.yaml").read_text(encoding="utf-8")
    assert "correct-horse-battery-staple" in text
    assert "rst_not_a_real_token" in text
    assert "Bearer owner-token" in text
    assert "http://users-api.test/v1/users" in text  # replay depends on it
    assert "127.0.0.1" not in text


def test_a_malformed_mark_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bad="""
        import pytest

        @pytest.mark.vcr
        @pytest.mark.users_sdk_scrub(fields="ssn")
        def test_x(users_client):
            pass
        """
    )
    result = pytester.runpytest_subprocess(
        *ARGS, "-o", "asyncio_default_fixture_loop_scope=function"
    )
    result.assert_outcomes(errors=1)
    out = result.stdout.str()
    assert "users_sdk_scrub(fields=...): give a list of names, such as ['ssn'], not 'ssn'" in out
    assert "Traceback" not in out
    assert "_settings.py" not in out
