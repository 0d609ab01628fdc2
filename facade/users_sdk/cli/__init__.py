"""`users-sdk`, the command line of the Users API (`pip install "users-sdk[cli]"`).

    users-sdk users list --role admin --output jsonl
    users-sdk users import people.csv --rejects rejected.csv
    users-sdk users export everyone.jsonl --resume
    users-sdk users export - --format csv | wc -l

Data goes to stdout (a table on a terminal, JSON Lines when piped), progress
and messages to stderr. Every field flag, filter and enum choice, their help
and names, come from openapi.yaml through `make generate`. `import users_sdk`
never imports this package, Typer, Click or rich.

Exit codes (`_errors.EXIT_CODES`, in `users-sdk --help`): 0 ok, also when a
confirmation is declined (nothing is done) and when the reader of stdout
stops early (`| head`); 1 API error; 2 usage error (bad flags, a bad input
file, a bad or missing base URL or credential, no terminal to ask on, and the
[cli] extra not installed); 3 partial import; 130 interrupted.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

__all__ = ["main"]

# The [cli] extra (pyproject.toml): distribution -> the module it installs.
CLI_EXTRA = {"typer": "typer", "rich": "rich"}
INSTALL_COMMAND = 'pip install "users-sdk[cli]"'


def main(args: Sequence[str] | None = None) -> None:
    """The console script: runs the command line and exits with its code."""
    missing = missing_requirements()
    if missing:
        print(
            f"users-sdk: the command line needs {', '.join(missing)} (the [cli] extra): "
            f"{INSTALL_COMMAND}",
            file=sys.stderr,
        )
        sys.exit(2)
    from ._app import command

    command.main(args=args, prog_name="users-sdk")


def missing_requirements() -> list[str]:
    """The distributions of the [cli] extra that cannot be imported."""
    return [name for name, module in CLI_EXTRA.items() if not _importable(module)]


def _importable(module: str) -> bool:
    try:  # None for a module not installed, or blocked (None in the module table)
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
