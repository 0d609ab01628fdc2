"""Every Python block of README.md runs, in order, against the reference server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from readme_blocks import pytest_files, pytest_snippets, python_blocks, script_blocks
from users_server import Settings, run_server

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```sh",
        "make demo    # the main job: the SDK against a real reference server, with no setup",
        "make test    # the whole test suite: lint, the generated-code check, every test",
        "```",
    ]


def test_every_python_block_is_run_by_some_test() -> None:
    assert len(script_blocks()) >= 10
    # Run by tests/test_testing_plugin.py, each as the file its first line names.
    assert sorted(pytest_files()) == [
        "conftest.py",
        "test_async_onboarding.py",
        "test_onboarding.py",
    ]
    assert len(script_blocks()) + len(pytest_snippets()) == len(python_blocks())


def test_every_block_imports_what_it_uses() -> None:
    # Blocks run joined in one script (they share server state), so a missing
    # import would pass there; a reader copies one block at a time.
    for block in script_blocks():
        for name in ("UsersClient", "AsyncUsersClient", "httpx2", "httpx", "asyncio", "logging"):
            if re.search(rf"\b{name}[(.]", block):
                assert re.search(rf"import (.*, )?{name}\b", block), (
                    f"a README block uses {name} without importing it:\n{block}"
                )


def test_readme_script_blocks_run_against_the_reference_server(tmp_path: Path) -> None:
    script = tmp_path / "readme_blocks.py"
    script.write_text("\n\n".join(script_blocks()), encoding="utf-8")
    with run_server(Settings(port=0, test_mode=True)) as base_url:
        env = {
            **os.environ,
            "USERS_API_BASE_URL": base_url,
            "USERS_API_TOKEN": Settings().owner_token,
        }
        env.pop("USERS_API_KEY", None)
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120
        )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ada@example.com" in out
    assert "404" in out  # the NotFoundError example printed its status
    assert "email" in out  # the ValidationError example printed its field
    assert "someone changed carol first" in out
    assert "provided token: owner" in out
    assert "read tolerantly: " in out  # strict_responses=False on a spec-matching server
    assert "viewer: viewer" in out
    assert "policy: owner" in out
    assert "spans: ['GET /v1/users/me', 'users.me']" in out
    assert re.search(r"users\.me attempt 1: 200, \d+ ms", out)
    assert re.search(r"page request id req_\S+ me request id req_\S+", out)  # Request ids
    per_task = re.findall(r"@example\.com request id (req_\S+)", out)
    assert per_task
    assert len(set(per_task)) == len(per_task)  # each task saw its own call's id
