"""What the command line says when something is wrong is the SDK's message
(in command-line terms), and says only what is true: no CLI hint that can
mislead, a configuration problem as exit 2, a replayed import explained."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from users_sdk import UsersAPIError, UsersClient
from users_sdk.cli._errors import cli_terms

from .conftest import TOKEN, all_users, one_error_line


def without_request_ids(text: str) -> str:
    return re.sub(r"request_id=\w+", "request_id=...", " ".join(text.split()))


@pytest.mark.parametrize(
    "credential", ["tok_padded_value\n", "tok_padded_value "], ids=["newline", "space"]
)
def test_a_credential_the_client_refuses_is_exit_2_with_its_message(
    cli: Any, credential: str
) -> None:
    run = cli("users", "me", env={"USERS_API_TOKEN": credential})
    line = one_error_line(run, 2)
    assert "USERS_API_TOKEN" in line  # where it came from
    assert "tok_padded_value" not in line
    assert "USERS_API_BASE_URL" not in line  # the base URL is fine: not named
    assert "--base-url" not in line


def test_an_error_line_is_the_sdk_message_and_no_cli_guess(cli: Any, server: str) -> None:
    """A listing at a wrong base URL is a 404: the CLI used to answer it with
    "'users-sdk users list' finds users"; it says what the SDK says."""
    wrong = f"{server}/api"
    line = one_error_line(cli("users", "list", env={"USERS_API_BASE_URL": wrong}), 1)
    with UsersClient(base_url=wrong, token=TOKEN) as client, pytest.raises(UsersAPIError) as raised:
        client.users.list()
    expected = f"users-sdk: {cli_terms(str(raised.value))}"
    assert without_request_ids(line) == without_request_ids(expected)
    assert "finds users" not in line


def test_the_sdk_advice_is_given_in_command_line_terms(cli: Any) -> None:
    line = one_error_line(cli("users", "me", env={"USERS_API_TOKEN": "tok_not_known_here"}), 1)
    assert "--token or --api-key" in line
    assert "token=" not in line
    assert cli_terms("no base URL: pass base_url='https://...' or set USERS_API_BASE_URL") == (
        "no base URL: pass --base-url https://... or set USERS_API_BASE_URL"
    )
    assert cli_terms("pass token= or api_key=, not both") == "pass --token or --api-key, not both"
    assert cli_terms("reset_token= stays") == "reset_token= stays"
    assert cli_terms("check the token you sent") == "check the token you sent"
    assert cli_terms("so base_url is wrong, not USERS_API_BASE_URL") == (
        "so --base-url is wrong, not USERS_API_BASE_URL"
    )
    assert cli_terms("token must be a str") == (
        "the token (--token or USERS_API_TOKEN) must be a str"
    )


def _import(cli: Any, path: Path, *args: str) -> tuple[dict[str, Any], str]:
    run = cli("users", "import", str(path), "--output", "json", *args)
    assert run.exit_code == 0, run.stderr
    summary: dict[str, Any] = json.loads(run.stdout)
    return summary, run.stderr


def test_a_reimport_that_creates_nothing_says_why_and_names_import_id(
    cli: Any, server: str, tmp_path: Path
) -> None:
    source = tmp_path / "one.csv"
    source.write_text("email\nonce@replay.example\n", encoding="utf-8")
    first, note = _import(cli, source)
    assert first["created"] == 1
    assert note == ""  # nothing replayed, nothing to explain
    [user] = [u for u in all_users(server) if u["email"] == "once@replay.example"]
    assert cli("users", "delete", user["id"], "--yes").exit_code == 0
    again, note = _import(cli, source)
    assert (again["created"], again["replayed"]) == (0, 1)
    assert "1 row replayed, not created" in note
    assert f"({first['import_id']}, from the file's path)" in note
    assert "pass a new --import-id" in note
    anew, _ = _import(cli, source, "--import-id", "replay-2")
    assert anew["created"] == 1
    assert "once@replay.example" in {u["email"] for u in all_users(server)}
