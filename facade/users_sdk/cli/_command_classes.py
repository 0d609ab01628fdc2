"""The click classes of every users-sdk command: Typer's, with two changes.

* A flag shows no metavar in --help: `--debug`, not `--debug <bool>` (Typer
  0.29 prints `<bool>` after every boolean option, -h/--help included).
* A command also takes the global options after its name (`users-sdk users
  list --token X`, as well as `users-sdk --token X users list`): copies of the
  root's options, listed under "Global options", that set the same `State`.

Every command is declared with `cls=Command` (groups `cls=Group`). Only Typer's
public names are used: newer Typer releases carry their own copy of Click.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ._state import GLOBAL_OPTIONS, set_option

__all__ = ["GLOBAL_PANEL", "Command", "Group"]

GLOBAL_PANEL = "Global options (also before the command)"


def _without_flag_metavars(params: list[Any]) -> list[Any]:
    for param in params:
        is_flag = getattr(param, "is_flag", False) and not getattr(param, "count", False)
        if is_flag and param.metavar is None:
            param.metavar = ""  # shown as nothing, by every Typer release
    return params


class Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_metavars(super().get_params(ctx))


class Command(TyperCommand):
    """A leaf command: its own options, the global ones, then -h/--help."""

    _global_options: list[Any] | None = None

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        help_option = self.get_help_option(ctx)
        own = [param for param in params if param is not help_option]
        if self._global_options is None:
            # Made once: click tells its parameters apart by identity.
            self._global_options = _global_copies(ctx.find_root().command, own)
        tail = [] if help_option is None else [help_option]
        return _without_flag_metavars([*own, *self._global_options, *tail])


def _global_copies(root: Any, own: Sequence[Any]) -> list[Any]:
    """The root's global options, for a command that has none of the same name."""
    taken = {name for param in own for name in (*param.opts, *param.secondary_opts)}
    copies = []
    for param in getattr(root, "params", ()):
        if param.name not in GLOBAL_OPTIONS or taken.intersection(param.opts):
            continue
        option = copy.copy(param)
        option.expose_value = False  # not an argument of the command's function
        option.callback = _set_global_option
        option.rich_help_panel = GLOBAL_PANEL
        copies.append(option)
    return copies


def _set_global_option(ctx: typer.Context, param: Any, value: Any) -> Any:
    set_option(ctx, param.name, value)
    return value
