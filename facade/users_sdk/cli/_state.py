"""What the global options set (where the API is, the credential, --debug),
for the commands to read: one `State` per run, in `typer.Context.obj`.

The global options may come before the command (`users-sdk --token X users
me`) or after it (`users-sdk users me --token X`); both land here, through
`set_option`, the later one winning.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from .._client import UsersClient

__all__ = ["GLOBAL_OPTIONS", "State", "set_option", "state_of"]

# The parameter names of the global options (the root callback's).
GLOBAL_OPTIONS = ("base_url", "token", "api_key", "debug")


@dataclass
class State:
    """What the global options set, for the commands (`typer.Context.obj`)."""

    base_url: str | None = None
    # Out of the repr: a traceback with --debug, or a bug report, may show it.
    token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    debug: bool = False

    def client(self) -> UsersClient:
        from .._client import UsersClient

        return UsersClient(base_url=self.base_url, token=self.token, api_key=self.api_key)


def state_of(ctx: typer.Context) -> State:
    state: State = ctx.ensure_object(State)
    return state


def set_option(ctx: typer.Context, name: str, value: Any) -> None:
    """One global option, as given (None or False: not given, nothing changes)."""
    if value is None or value is False:
        return
    state = state_of(ctx)
    if name == "debug":
        if not state.debug:
            state.debug = True
            _log_requests(ctx)
        return
    setattr(state, name, value)


def _log_requests(ctx: typer.Context) -> None:
    """--debug: the SDK's log (each request, never a credential) on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("users_sdk")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def restore() -> None:  # the CLI may run several times in one process (tests)
        logger.removeHandler(handler)
        logger.setLevel(level)

    ctx.find_root().call_on_close(restore)
