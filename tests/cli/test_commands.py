"""Every command against the reference server, in process (CliRunner):
output formats, errors as one line and an exit code, confirmation, secrets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx2
from guards.test_spec_surface import SPEC

from .conftest import TOKEN, all_users, one_error_line


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def create(cli: Any, *args: str) -> dict[str, Any]:
    run = cli("users", "create", "--output", "json", *args)
    assert run.exit_code == 0, run.stderr
    user: dict[str, Any] = json.loads(run.stdout)
    return user


def test_list_prints_json_lines_when_piped(cli: Any) -> None:
    run = cli("users", "list")
    assert run.exit_code == 0, run.stderr
    assert sorted(u["email"] for u in lines(run.stdout)) == [
        "owner@example.com", "viewer@example.com",
    ]  # fmt: skip


def test_list_filters_sort_limit_and_every_page(cli: Any) -> None:
    for n in range(5):
        create(cli, "--email", f"f{n}@filter.example", "--role", "admin" if n % 2 else "member")
    run = cli(
        "users",
        "list",
        "--email-domain",
        "filter.example",
        "--role",
        "admin",
        "--sort",
        "email:asc",
    )
    assert [u["email"] for u in lines(run.stdout)] == ["f1@filter.example", "f3@filter.example"]
    run = cli("users", "list", "--email-domain", "filter.example", "--limit", "2")
    assert len(lines(run.stdout)) == 2
    assert "--cursor" in run.stderr  # where the next page is, on stderr
    run = cli("users", "list", "--email-domain", "filter.example", "--limit", "2", "--all")
    assert len(lines(run.stdout)) == 5
    assert run.stderr == ""  # no terminal: no progress bar


def test_list_as_csv_json_and_table(cli: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("users", "list", "-o", "csv").stdout)))
    assert {r["email"] for r in rows} == {"owner@example.com", "viewer@example.com"}
    document = json.loads(cli("users", "list", "-o", "json").stdout)
    assert isinstance(document, list)
    assert len(document) == 2
    table = cli("users", "list", "-o", "table").stdout
    assert "owner@example.com" in table
    assert "email" in table


def spec_order(schema: str) -> list[str]:
    """The order every output lists fields in (users_sdk._records): the schema's
    properties as the spec lists them, required or optional alike."""
    return list(SPEC["components"]["schemas"][schema]["properties"])


def test_csv_columns_are_the_fields_of_a_user_in_the_spec(cli: Any) -> None:
    header = next(csv.reader(io.StringIO(cli("users", "list", "-o", "csv").stdout)))
    assert header == spec_order("User")  # optional ones too


def test_every_output_lists_a_users_fields_in_the_spec_order(cli: Any, tmp_path: Path) -> None:
    order = spec_order("User")

    def in_order(names: list[str]) -> bool:
        return names == [name for name in order if name in names]

    assert all(in_order(list(record)) for record in lines(cli("users", "list").stdout))
    assert in_order(list(json.loads(cli("users", "me", "-o", "json").stdout)))
    assert in_order(next(csv.reader(io.StringIO(cli("users", "me", "-o", "csv").stdout))))
    header = cli("users", "list", "-o", "table").stdout.splitlines()[0]
    assert in_order([word for word in header.split() if word != "\u2503"])
    for fmt in ("csv", "jsonl"):
        out = tmp_path / f"users.{fmt}"
        assert cli("users", "export", str(out), "--format", fmt).exit_code == 0
        first = out.read_text("utf-8").splitlines()[0]
        if fmt == "csv":
            assert next(csv.reader([first])) == order
        else:
            assert in_order(list(json.loads(first)))


def test_get_me_and_invite(cli: Any) -> None:
    me = json.loads(cli("users", "me", "-o", "json").stdout)
    assert me["email"] == "owner@example.com"
    got = json.loads(cli("users", "get", me["id"], "-o", "json").stdout)
    assert got == me
    invited = create(cli, "--email", "inv@example.com")
    assert invited["status"] == "invited"
    invitation = lines(cli("users", "invite", invited["id"]).stdout)
    assert invitation[0]["user_id"] == invited["id"]


def test_create_from_flags_data_file_and_stdin(cli: Any, tmp_path: Path) -> None:
    user = create(
        cli, "--email", "ada@example.com", "--role", "admin", "--groups", "eng", "--groups", "ops",
        "--metadata", "team=core", "--is-service-user", "--phone", "+44 1",
    )  # fmt: skip
    assert (user["role"], user["groups"], user["metadata"]) == (
        "admin",
        ["eng", "ops"],
        {"team": "core"},
    )
    assert user["is_service_user"] is True
    data = tmp_path / "bob.json"
    data.write_text(json.dumps({"email": "bob@example.com", "role": "viewer"}), "utf-8")
    assert create(cli, "--data", f"@{data}", "--role", "member")["role"] == "member"  # flags win
    run = cli("users", "create", "-o", "json", "--data", "-", input='{"email": "cy@example.com"}')
    assert json.loads(run.stdout)["email"] == "cy@example.com"


def test_update_flags_clear_and_if_match(cli: Any) -> None:
    user = create(cli, "--email", "up@example.com", "--phone", "+1", "--groups", "a")
    run = cli(
        "users", "update", user["id"], "-o", "json", "--department", "R&D",
        "--clear", "phone", "--clear", "groups", "--if-match", str(user["version"]),
    )  # fmt: skip
    updated = json.loads(run.stdout)
    assert (updated["department"], updated["phone"], updated["groups"]) == ("R&D", None, [])
    stale = cli(
        "users", "update", user["id"], "--role", "admin", "--if-match", str(user["version"])
    )
    assert "reapply your change" in one_error_line(stale, 1)  # the SDK's advice
    assert "412" in stale.stderr
    both = cli("users", "update", user["id"], "--phone", "+2", "--clear", "phone")
    one_error_line(both, 2)
    nothing = cli("users", "update", user["id"])
    assert "nothing to change" in one_error_line(nothing, 2)


def test_delete_refuses_without_a_terminal_and_yes(cli: Any, server: str) -> None:
    user = create(cli, "--email", "gone@example.com")
    refused = cli("users", "delete", user["id"])
    assert "--yes" in one_error_line(refused, 2)
    assert user["email"] in {u["email"] for u in all_users(server)}
    assert cli("users", "delete", user["id"], "--yes").exit_code == 0
    assert user["email"] not in {u["email"] for u in all_users(server)}


def requested_reset_token(cli: Any, server: str) -> str:
    """`users reset-password`, then the token the server "mailed"."""
    assert cli("users", "reset-password", "viewer@example.com").exit_code == 0
    outbox = httpx2.get(f"{server}/_test/outbox", params={"kind": "password_reset"}).json()
    token: str = outbox[-1]["token"]
    return token


def test_reset_and_set_password_from_stdin(cli: Any, server: str) -> None:
    password = "a long new passphrase 9f3e"
    reset_token = requested_reset_token(cli, server)
    run = cli("users", "set-password", input=f"{reset_token}\n{password}\n")
    assert run.exit_code == 0, run.stderr
    assert password not in run.stdout + run.stderr
    assert reset_token not in run.stdout + run.stderr
    again = cli("users", "set-password", input=f"{reset_token}\n{password}\n")  # used up
    line = one_error_line(again, 1)
    assert password not in line
    assert reset_token not in line
    assert "2 lines" in one_error_line(cli("users", "set-password", input=reset_token), 2)


def test_set_password_takes_nothing_from_the_command_line(cli: Any) -> None:
    assert one_error_line(cli("users", "set-password", "--password", "x" * 12), 2)
    assert one_error_line(cli("users", "set-password", "token", "x" * 12), 2)


def test_summary_counts_by_role_and_status(cli: Any, server: str) -> None:
    create(cli, "--email", "s1@example.com", "--role", "admin")
    create(cli, "--email", "s2@example.com", "--role", "admin", "--status", "active")
    rows = lines(cli("users", "summary").stdout)
    users = all_users(server)
    for row in rows:
        assert row["count"] == sum(1 for u in users if u[row["field"]] == row["value"]), row
    assert {r["field"] for r in rows} >= {"role", "status"}
    assert {"owner", "admin", "member", "viewer"} <= {
        r["value"] for r in rows if r["field"] == "role"
    }


def test_api_errors_are_one_line_with_exit_1(cli: Any) -> None:
    assert "404" in one_error_line(cli("users", "get", "usr_missing"), 1)
    taken = cli("users", "create", "--email", "owner@example.com")
    assert "409" in one_error_line(taken, 1)
    # The API's own check (a domain with no dot): the SDK's lets it through.
    invalid = one_error_line(cli("users", "create", "--email", "ada@localhost"), 1)
    assert "email" in invalid
    assert "422" in invalid


def test_authentication_and_connection_errors_say_what_to_do(cli: Any) -> None:
    wrong = cli("--token", "tok_wrong_token_value", "users", "me")
    line = one_error_line(wrong, 1)
    assert "USERS_API_TOKEN" in line
    assert "tok_wrong_token_value" not in line
    unreachable = cli("--base-url", "http://127.0.0.1:9", "users", "me")
    assert "--base-url" in one_error_line(unreachable, 1)


def test_configuration_and_usage_errors_exit_2(cli: Any) -> None:
    # Each says only what is missing.
    no_credential = one_error_line(cli("users", "me", env={"USERS_API_TOKEN": None}), 2)
    assert "USERS_API_TOKEN" in no_credential
    assert "--token" in no_credential
    assert "base" not in no_credential.lower()
    no_base_url = one_error_line(cli("users", "me", env={"USERS_API_BASE_URL": None}), 2)
    assert "USERS_API_BASE_URL" in no_base_url
    assert "--base-url" in no_base_url
    assert "token" not in no_base_url.lower()
    assert one_error_line(cli("users", "get"), 2)  # a missing argument
    assert one_error_line(cli("users", "list", "--no-such-flag"), 2)
    assert one_error_line(cli("users", "list", "--role", "wizard"), 2)
    assert one_error_line(cli("users", "create", "--data", "@/no/such/file.json"), 2)
    assert "email" in one_error_line(cli("users", "create", "--role", "admin"), 2)  # required


def test_api_key_option(cli: Any) -> None:
    from .conftest import API_KEY

    run = cli("--api-key", API_KEY, "users", "me", env={"USERS_API_TOKEN": None})
    assert run.exit_code == 0
    assert lines(run.stdout)[0]["email"] == "owner@example.com"


def test_debug_logs_requests_but_never_the_token(cli: Any) -> None:
    run = cli("--debug", "users", "get", "usr_missing")  # cli() greps stdout and stderr
    assert run.exit_code == 1
    assert "/v1/users/usr_missing" in run.stderr  # the request log
    assert "Traceback" in run.stderr  # --debug shows it
    assert TOKEN not in run.stderr


def test_help_documents_the_exit_codes(cli: Any) -> None:
    run = cli("--help")
    assert run.exit_code == 0
    for code in ("0 ok", "1 API error", "2 usage error", "3 partial import", "130 interrupted"):
        assert code in " ".join(run.stdout.split()), code


def test_shell_completion_is_offered(cli: Any) -> None:
    run = cli("--show-completion", "bash", env={"SHELL": "/bin/bash"})
    assert run.exit_code == 0
    assert "complete" in run.stdout
    assert "users-sdk" in run.stdout.lower().replace("_", "-")


def test_delete_asks_on_a_terminal(cli: Any, server: str, monkeypatch: Any) -> None:
    from users_sdk.cli import _input

    monkeypatch.setattr(_input, "_terminal", lambda: True)
    user = create(cli, "--email", "asked@example.com")
    declined = cli("users", "delete", user["id"], input="n\n")
    # The question shows what it acts on; no is an answer, not a usage error.
    assert f"Delete user {user['id']} (asked@example.com)?" in declined.stderr
    assert f"not deleted: {user['id']} (asked@example.com) is unchanged" in declined.stderr
    assert declined.exit_code == 0
    assert user["email"] in {u["email"] for u in all_users(server)}
    accepted = cli("users", "delete", user["id"], input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert user["email"] not in {u["email"] for u in all_users(server)}


def test_set_password_asks_hidden_on_a_terminal(cli: Any, server: str, monkeypatch: Any) -> None:
    from users_sdk.cli import _input

    monkeypatch.setattr(_input, "_terminal", lambda: True)
    password = "typed at a hidden prompt 77"
    token = requested_reset_token(cli, server)
    run = cli("users", "set-password", input=f"{token}\n{password}\n{password}\n")
    assert run.exit_code == 0, run.stderr
    assert password not in run.stdout + run.stderr
    assert token not in run.stdout + run.stderr


def test_the_cli_needs_typer_and_rich_but_not_click() -> None:
    import subprocess
    import sys

    probe = "import sys, users_sdk.cli._app; print('click' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # Typer carries its own Click; [cli] installs no other
