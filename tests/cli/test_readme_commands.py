"""The command-line guide (docs/guides/cli.md) names only commands and options
that exist (its shell block is not run: it needs ids and files of its own)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer

from users_sdk.cli import _errors
from users_sdk.cli._app import app

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "cli.md"


def section() -> str:
    return GUIDE.read_text(encoding="utf-8")


def command_lines() -> list[list[str]]:
    found = []
    for block in re.findall(r"^```sh\n(.*?)^```", section(), re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            line = re.split(r"\s[|<#]", line)[0]
            if line.startswith("users-sdk "):
                found.append(shlex.split(line)[1:])
    return found


def test_every_command_line_of_the_readme_parses() -> None:
    lines = command_lines()
    assert len(lines) >= 10
    root = typer.main.get_command(app)
    for words in lines:
        command = root
        options = {o for p in root.params for o in (*p.opts, *p.secondary_opts)}
        for word in words:
            subcommands = getattr(command, "commands", {})
            if word in subcommands:
                command = subcommands[word]
                options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
            elif word.startswith("--"):
                assert word in options, f"{' '.join(words)}: no option {word}"
        assert not getattr(command, "commands", None), f"{' '.join(words)} names no command"


def test_the_readme_gives_the_exit_codes_of_the_code() -> None:
    text = " ".join(section().split())
    for code, meaning in (
        (_errors.OK, "ok"), (_errors.API_ERROR, "API error"), (_errors.USAGE_ERROR, "usage error"),
        (_errors.PARTIAL_IMPORT, "partial import"), (_errors.INTERRUPTED, "interrupted"),
    ):  # fmt: skip
        assert f"`{code}` {meaning}" in text
