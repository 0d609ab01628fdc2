"""What a command reads besides its flags: `--data` bodies, a confirmation,
and secrets (from stdin or a hidden prompt, never from argv).

A command that would ask but has no terminal to ask on refuses (exit 2)
instead of guessing; a question declined at the terminal is no error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from . import _cells
from ._errors import UsageError

__all__ = ["can_ask", "confirm", "read_data", "read_secrets"]


def read_data(value: str | None) -> dict[str, Any]:
    """`--data`: `@file.json`, `-` (stdin) or an inline JSON object."""
    if value is None:
        return {}
    if value == "-":
        text, source = sys.stdin.read(), "stdin"
    elif value.startswith("@"):
        path = Path(value[1:])
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"--data: cannot read {path}: {error}") from None
    else:
        text, source = value, "the inline value"
    try:
        return _cells.json_object(text)
    except _cells.CellError as error:
        raise UsageError(f"--data: {source}: {error}") from None


def _terminal() -> bool:
    """Whether someone can answer: stdin is a terminal."""
    return sys.stdin.isatty()


def can_ask(what: str, *, yes: bool) -> None:
    """Go on only if `--yes` was given or there is a terminal to ask on (exit 2)."""
    if not yes and not _terminal():
        raise UsageError(f"{what}: refusing without --yes (no terminal to ask on)")


def confirm(question: str) -> bool:
    """The answer at the terminal, no by default (call `can_ask` first)."""
    return typer.confirm(question, default=False, err=True)


def read_secrets(*names: str) -> list[str]:
    """One value per name: a hidden prompt on a terminal, else one line of stdin each."""
    if _terminal():
        return [
            typer.prompt(name, hide_input=True, confirmation_prompt=i == len(names) - 1, err=True)
            for i, name in enumerate(names)
        ]
    lines = sys.stdin.read().splitlines()
    values = lines[: len(names)]  # as typed: a password may begin or end with a space
    if len(values) < len(names) or not all(values):
        wanted = ", then ".join(names)
        raise UsageError(f"stdin must hold {len(names)} lines: {wanted}")
    return values
