"""The command line composes with the shell: a reader that stops early, `-`
for stdin and stdout, global options wherever they are typed, flags without a
metavar, and one line instead of a traceback when the [cli] extra is missing."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from users_sdk.cli import CLI_EXTRA
from users_sdk.cli._app import app

from .conftest import TOKEN, all_users, environment, start_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def four_hundred_users(server: str) -> str:
    """400 more users: their JSON Lines (~170 KB) overflow the pipe (64 KB) and
    stdout's buffer, so a reader that stops after one line closes the pipe
    while the CLI is still writing."""
    from users_sdk import UsersClient, bulk

    rows = ({"email": f"p{n:03d}@pipe.example"} for n in range(400))
    with UsersClient(base_url=server, token=TOKEN) as client:
        summary = bulk.import_users(client, rows, import_id="pipe", concurrency=16)
    assert summary.created == 400
    return server


def test_a_reader_that_stops_early_ends_the_command_quietly_with_0(
    four_hundred_users: str,
) -> None:
    """`users-sdk users list --all | head -1`: exit 0 (a `set -o pipefail`
    script goes on), nothing on stderr (no traceback, no "Exception ignored")."""
    with start_process(four_hundred_users, ["users", "list", "--all"]) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        first = json.loads(process.stdout.readline())
        process.stdout.close()  # as `head -1` does
        stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == ""
    assert first["email"]


@pytest.mark.parametrize(
    "args",
    [
        ["users", "me"],  # small: still in stdout's buffer at Python's flush at exit
        ["users", "list", "--output", "table"],  # written by rich
        ["users", "export", "-", "--format", "csv"],
    ],
    ids=["json", "table", "export"],
)
def test_stdout_closed_before_anything_is_written_is_exit_0(server: str, args: list[str]) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "users_sdk.cli", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=environment(server),
    ) as process:  # fmt: skip
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()  # long before the CLI has imported anything
        stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == ""


@pytest.mark.parametrize("fmt", ["jsonl", "csv", None])
def test_export_to_dash_writes_the_users_to_stdout_and_the_count_to_stderr(
    cli: Any, server: str, fmt: str | None
) -> None:
    run = cli("users", "export", "-", *(["--format", fmt] if fmt else []))
    assert run.exit_code == 0, run.stderr
    users = all_users(server)
    if fmt == "csv":
        records = list(csv.DictReader(io.StringIO(run.stdout)))
    else:  # JSON Lines, also when --format is left out
        records = [json.loads(line) for line in run.stdout.splitlines()]
    assert sorted(r["email"] for r in records) == sorted(user["email"] for user in users)
    assert run.stderr == f"exported {len(users)} users to stdout\n"
    assert not Path("-").exists()


def test_an_export_to_stdout_cannot_be_resumed(cli: Any) -> None:
    run = cli("users", "export", "-", "--resume")
    assert run.exit_code == 2
    assert "cannot be resumed" in run.stderr


def test_import_dash_reads_stdin(cli: Any, server: str) -> None:
    jsonl = '{"email": "in1@stdin.example"}\n{"email": "in2@stdin.example", "role": "admin"}\n'
    run = cli("users", "import", "-", "--output", "json", input=jsonl)
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["created"] == 2
    csv_rows = "email,role\nin3@stdin.example,viewer\n"
    run = cli("users", "import", "-", "--format", "csv", "--output", "json", input=csv_rows)
    assert json.loads(run.stdout)["created"] == 1
    emails = {user["email"] for user in all_users(server)}
    assert {"in1@stdin.example", "in2@stdin.example", "in3@stdin.example"} <= emails
    unnamed = cli("users", "import", "-", input="email\nin4@stdin.example\n")  # CSV, no --format
    assert unnamed.exit_code == 2
    assert "stdin line 1" in unnamed.stderr
    assert "pass --format csv" in unnamed.stderr


def test_global_options_are_taken_after_the_command_too(cli: Any, server: str) -> None:
    from .conftest import API_KEY

    no_environment: dict[str, str | None] = {"USERS_API_TOKEN": None, "USERS_API_BASE_URL": None}
    run = cli("users", "me", "--base-url", server, "--token", TOKEN, env=no_environment)
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["email"] == "owner@example.com"
    run = cli("users", "list", "--api-key", API_KEY, "--limit", "1", env={"USERS_API_TOKEN": None})
    assert run.exit_code == 0, run.stderr
    # After the command wins over before it, as the later of two flags does.
    assert cli("--token", "tok_wrong_value", "users", "me", "--token", TOKEN).exit_code == 0
    debug = cli("users", "get", "usr_missing", "--debug")
    assert "/v1/users/usr_missing" in debug.stderr  # the request log
    assert "Traceback" in debug.stderr


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def _params(path: tuple[str, ...]) -> list[Any]:
    """A command's parameters as its --help lists them (in a context like the CLI's)."""
    command: Any = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="users-sdk", help_option_names=["-h", "--help"])
    for name in path:
        command = command.commands[name]
        ctx = typer.Context(command, info_name=name, parent=ctx)
    params: list[Any] = command.get_params(ctx)
    return params


def test_no_flag_shows_a_metavar() -> None:
    """Typer 0.29 prints `--debug <bool>` and `-h, --help <bool>` unless a flag's
    metavar is empty; every command's help is checked, the root's too."""
    root = typer.main.get_command(app)
    runner = CliRunner()
    for path in _commands(root):
        flags = [p for p in _params(path) if getattr(p, "is_flag", False)]
        assert {"--help"} <= {o for p in flags for o in p.opts}, path
        assert [p.opts for p in flags if p.metavar != ""] == [], path
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).stdout
        assert "<bool>" not in shown
        assert "BOOLEAN" not in shown


def test_every_command_lists_the_global_options_under_their_own_heading() -> None:
    run = CliRunner().invoke(app, ["users", "list", "--help"], env={"COLUMNS": "200"})
    panel = run.stdout[run.stdout.index("Global options") :]
    for option in ("--base-url", "--token", "--api-key", "--debug"):
        assert option in panel


def test_without_the_cli_extra_one_line_says_how_to_install_it() -> None:
    for module in CLI_EXTRA.values():
        # The console script's own entry point, with the module made unimportable.
        probe = (
            f"import sys; sys.modules[{module!r}] = None; "
            "from users_sdk.cli import main; main(['users', 'me'])"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr == (
            f"users-sdk: the command line needs {module} (the [cli] extra): "
            'pip install "users-sdk[cli]"\n'
        )


def test_the_modules_checked_are_the_cli_extra() -> None:
    """users_sdk.cli.CLI_EXTRA says pyproject.toml's [cli] extra again, by module."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["cli"]
    assert {re.split(r"[<>=!~\[; ]", requirement)[0] for requirement in extra} == set(CLI_EXTRA)
