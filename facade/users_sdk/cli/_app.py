"""The whole command tree: the root (`_root`) with the `users` group in it.

`command` is the click group Typer builds from it once, at import (with
--install-completion and --show-completion): the console script runs it.
"""

from __future__ import annotations

import typer

from . import _export_command, _import_command  # noqa: F401  (register `users import`, `export`)
from ._commands import users
from ._root import app

__all__ = ["app", "command"]

app.add_typer(users)
command = typer.main.get_command(app)
