"""`users-sdk-server` (and `python -m users_server`): flags, environment variables, a real
start and stop, and one line instead of a traceback without the [server] extra."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx2
import pytest
from users_server import Settings
from users_server.command import banner, parse_args
from users_server.requirements import SERVER_EXTRA
from users_server.spec import Operation

ROOT = Path(__file__).resolve().parents[2]
SERVER_DIR = ROOT / "server"


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("USERS_SERVER_"):
            monkeypatch.delenv(name)
    assert parse_args([]) == Settings()


def test_flags() -> None:
    settings = parse_args(
        [
            "--host", "0.0.0.0", "--port", "0", "--db", "users.db",
            "--owner-token", "ot", "--viewer-token", "vt",
            "--owner-api-key", "ok", "--viewer-api-key", "vk",
            "--deterministic", "--test-mode",
        ]
    )  # fmt: skip
    assert settings == Settings(
        host="0.0.0.0",
        port=0,
        database="users.db",
        owner_token="ot",
        viewer_token="vt",
        owner_api_key="ok",
        viewer_api_key="vk",
        deterministic=True,
        test_mode=True,
    )


def test_environment_and_flag_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERS_SERVER_PORT", "9001")
    monkeypatch.setenv("USERS_SERVER_DB", "/tmp/x.db")
    monkeypatch.setenv("USERS_SERVER_OWNER_TOKEN", "env-owner")
    monkeypatch.setenv("USERS_SERVER_VIEWER_API_KEY", "env-viewer-key")
    monkeypatch.setenv("USERS_SERVER_DETERMINISTIC", "true")
    monkeypatch.setenv("USERS_SERVER_TEST_MODE", "0")
    settings = parse_args(["--port", "9002"])
    assert settings.port == 9002  # the flag wins
    assert settings.database == "/tmp/x.db"
    assert settings.owner_token == "env-owner"
    assert settings.viewer_api_key == "env-viewer-key"
    assert settings.deterministic is True
    assert settings.test_mode is False


def test_banner_names_the_credentials() -> None:
    text = banner(Settings(), "http://127.0.0.1:8000")
    assert text.splitlines()[0] == "Users API reference server listening on http://127.0.0.1:8000"
    for secret in ("owner-token", "viewer-token", "owner-key", "viewer-key"):
        assert secret in text
    assert "curl" in text
    assert "not implemented" not in text


def test_banner_names_the_operations_not_implemented() -> None:
    suspend = Operation("suspendUser", "POST", "/v1/users/{user_id}/suspend", public=False)
    text = banner(Settings(), "http://127.0.0.1:8000", [suspend])
    assert text.splitlines()[-2:] == [
        "  not implemented yet (501):",
        "    suspendUser (POST /v1/users/{user_id}/suspend)",
    ]


def test_serves_until_sigterm(tmp_path: Path) -> None:
    database = tmp_path / "users.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "users_server", "--port", "0", "--db", str(database)],
        env={**os.environ, "PYTHONPATH": str(SERVER_DIR), "USERS_SERVER_OWNER_TOKEN": "secret"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Users API reference server listening on http://127.0.0.1:")
        url = first.split()[-1]
        assert not url.endswith(":0")
        response = httpx2.get(f"{url}/v1/users/me", headers={"Authorization": "Bearer secret"})
        assert response.json()["email"] == "owner@example.com"
        process.send_signal(signal.SIGTERM)
        # A clean shutdown; uvicorn then re-raises the signal, so the exit status says why.
        assert process.wait(timeout=10) == -signal.SIGTERM
        assert process.stderr is not None
        assert "Application shutdown complete" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert database.exists()  # a file database outlives the server


def test_file_database_keeps_users_and_cursors(tmp_path: Path) -> None:
    from users_server import run_server

    settings = Settings(port=0, database=str(tmp_path / "users.db"))
    headers = {"Authorization": "Bearer owner-token"}
    with run_server(settings) as url:
        for i in range(3):
            httpx2.post(f"{url}/v1/users", json={"email": f"u{i}@example.com"}, headers=headers)
        page = httpx2.get(f"{url}/v1/users", params={"limit": 2}, headers=headers).json()
    with run_server(settings) as url:
        again = httpx2.get(
            f"{url}/v1/users", params={"limit": 2, "cursor": page["next_cursor"]}, headers=headers
        )
        assert again.status_code == 200
        everyone = httpx2.get(f"{url}/v1/users", headers=headers).json()["items"]
    assert len(everyone) == 5  # three created, two seeded once


def test_unusable_credentials_stop_the_start(capsys: pytest.CaptureFixture[str]) -> None:
    from users_server.command import main

    assert main(["--port", "0", "--owner-token", "same", "--viewer-token", "same"]) == 2
    assert "must differ" in capsys.readouterr().err


def test_the_console_script_names_itself(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: users-sdk-server [-h]")


def without_site_packages(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -S -m users_server ...`: the standard library and the server's own
    source only, as after `pip install users-sdk` without the [server] extra."""
    return subprocess.run(
        [sys.executable, "-S", "-m", "users_server", *args],
        env={**os.environ, "PYTHONPATH": str(SERVER_DIR)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_without_the_server_extra_one_line_says_what_to_install() -> None:
    result = without_site_packages("--port", "0")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr  # one line, no traceback
    assert result.stderr == (
        "python -m users_server needs fastapi, uvicorn, pyyaml (the [server] extra):"
        ' pip install "users-sdk[server]"\n'
    )


def test_without_the_server_extra_the_help_still_shows() -> None:
    result = without_site_packages("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m users_server [-h]")


def test_the_modules_checked_are_the_server_extra() -> None:
    """requirements.SERVER_EXTRA says pyproject.toml's [server] extra again, by module."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["server"]
    names = {requirement.split(">")[0].split("=")[0].split("<")[0].strip() for requirement in extra}
    assert names == set(SERVER_EXTRA)


def test_every_server_command_of_the_readme_parses() -> None:
    """The reference-server guide shows only flags the command has."""
    section = (ROOT / "docs" / "guides" / "server.md").read_text(encoding="utf-8")
    lines = [
        shlex.split(re.split(r"\s#", line)[0])
        for line in section.splitlines()
        if line.startswith(("users-sdk-server", "make serve"))
    ]
    assert len(lines) >= 4
    for words in lines:
        if words[0] == "make":  # make serve ARGS="..." runs users-sdk-server $(ARGS)
            words = ["users-sdk-server", *shlex.split(words[2].removeprefix("ARGS="))]
        if words[1:] == ["--help"]:
            continue
        assert isinstance(parse_args(words[1:]), Settings), words
