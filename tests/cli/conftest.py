"""The CLI's tests run every command against the real reference server on
loopback, in process (typer.testing.CliRunner) or as a real process of
`python -m users_sdk.cli`; every run's stdout and stderr are searched for
the credential, which must never show."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner
from users_server import Settings, run_server

from users_sdk.cli._app import app

TOKEN = "tok_cli_secret_5d0c7e"
VIEWER_TOKEN = "tok_cli_viewer_91ab3f"
API_KEY = "key_cli_secret_2e77"


@pytest.fixture(scope="session")
def cli_server() -> Iterator[str]:
    settings = Settings(
        port=0, test_mode=True, owner_token=TOKEN, viewer_token=VIEWER_TOKEN,
        owner_api_key=API_KEY,
    )  # fmt: skip
    with run_server(settings) as base_url:
        yield base_url


@pytest.fixture
def server(cli_server: str) -> str:
    """The server, back to its two seeded users."""
    httpx2.post(f"{cli_server}/_test/reset").raise_for_status()
    return cli_server


def environment(base_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("USERS_API_")}
    env.pop("USERS_SDK_LOG", None)
    return {**env, "USERS_API_BASE_URL": base_url, "USERS_API_TOKEN": TOKEN, **extra}


def one_error_line(run: Any, exit_code: int) -> str:
    """The one line a failed command prints: on stderr, nothing on stdout, no traceback."""
    assert run.exit_code == exit_code, (run.stdout, run.stderr)
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("users-sdk: ")
    return line


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (TOKEN, VIEWER_TOKEN, API_KEY):
            assert secret not in text, f"a credential shows in: {text[:500]}"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(server: str) -> Any:
    """`cli("users", "list", input=..., env=...)`: the CLI in process, against the server."""
    runner = CliRunner()

    def invoke(
        *args: str, input: str | None = None, env: dict[str, str | None] | None = None
    ) -> Run:
        variables: dict[str, str | None] = {
            "USERS_API_BASE_URL": server, "USERS_API_TOKEN": TOKEN,
            "USERS_API_KEY": None, "USERS_SDK_LOG": None, **(env or {}),
        }  # fmt: skip
        result = runner.invoke(app, list(args), input=input, env=variables)
        assert_no_secret(result.stdout, result.stderr, repr(result.exception))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a bug, not an exit code
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


def run_process(
    base_url: str, args: Sequence[str], *, input: str | None = None, timeout: float = 60
) -> Run:
    """The CLI as a real process (`python -m users_sdk.cli`), stdout and stderr piped."""
    done = subprocess.run(
        [sys.executable, "-m", "users_sdk.cli", *args], input=input, capture_output=True,
        text=True, env=environment(base_url), timeout=timeout, check=False,
    )  # fmt: skip
    assert_no_secret(done.stdout, done.stderr)
    return Run(done.returncode, done.stdout, done.stderr)


def start_process(base_url: str, args: Sequence[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "users_sdk.cli", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=environment(base_url),
        preexec_fn=_hear_ctrl_c,
    )  # fmt: skip


def _hear_ctrl_c() -> None:
    # A suite started in the background by a non-interactive shell (`make test &`)
    # inherits SIGINT ignored, and so would the CLI: the Ctrl-C tests would then
    # see an import run to its end. A user's terminal delivers it; so does this.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def all_users(base_url: str) -> list[dict[str, Any]]:
    """Every user on the server, through the SDK (not the CLI under test)."""
    from users_sdk import UsersClient

    with UsersClient(base_url=base_url, token=TOKEN) as client:
        return [user.to_dict() for user in client.users.list(limit=100)]
