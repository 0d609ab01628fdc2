"""`users-sdk`, the command line of the Users API (`pip install "users-sdk[cli]"`).

    users-sdk users list --role admin --output jsonl
    users-sdk users import people.csv --rejects rejected.csv
    users-sdk users export everyone.jsonl --resume

Data goes to stdout (a table on a terminal, JSON Lines when piped), progress
and messages to stderr. Every field flag, filter and enum choice comes from
openapi.yaml through `make generate`. `import users_sdk` never imports this
package, Typer, Click or rich.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(args: Sequence[str] | None = None) -> None:
    """The console script: runs the command line and exits with its code."""
    from ._app import command

    command.main(args=args, prog_name="users-sdk")
