"""The root command `users-sdk`: its global options (where the API is, the
credential, --debug), and the one place errors become a line and an exit code.

The credential comes from the SDK's environment variables (the safer way:
argv is visible to other users of the machine) or from --token / --api-key,
and is never printed: the SDK's messages and logs redact it, and tracebacks
(only with --debug) show no local variables.

Only Typer's public names are used: newer Typer releases carry their own copy
of Click, so `click` itself may not even be installed.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from .._exceptions import UsersAPIError
from . import _errors

if TYPE_CHECKING:
    from .._client import UsersClient

__all__ = ["State", "app", "state_of"]

# Click's UsageError (bad flags) and ClickException, reached through the one
# of their subclasses Typer exports: Typer may vendor Click under a private name.
_CLICK_USAGE_ERROR: type[Exception] = typer.BadParameter.__mro__[1]
_CLICK_EXCEPTION: type[Exception] = _CLICK_USAGE_ERROR.__mro__[1]


@dataclass
class State:
    """What the root options set, for the commands (`typer.Context.obj`)."""

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


def report(error: BaseException, *, debug: bool) -> int:
    """Print what went wrong on stderr; return the exit code."""
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    if isinstance(error, UsersAPIError | _errors.UsageError | KeyboardInterrupt):
        typer.echo(_errors.one_line(error), err=True)
    else:  # a bug: say so without a traceback, unless --debug showed one
        hint = "" if debug else "; run again with --debug for the traceback"
        line = f"users-sdk: unexpected error: {type(error).__name__}: {error}{hint}"
        typer.echo(" ".join(line.split()), err=True)
    return _errors.exit_code(error)


class RootGroup(TyperGroup):
    """Errors in, one line and an exit code out, Click's own usage errors too."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, _CLICK_EXCEPTION, BrokenPipeError):
            raise  # Typer's own handling: exit codes, usage errors, `| head`
        except (Exception, KeyboardInterrupt) as error:
            raise typer.Exit(report(error, debug=state_of(ctx).debug)) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args, prog_name, complete_var, standalone_mode=False, obj=State(), **extra
            )
            code = result if isinstance(result, int) else _errors.OK
        except _CLICK_USAGE_ERROR as error:
            command = getattr(getattr(error, "ctx", None), "command_path", None) or "users-sdk"
            what = error.format_message().rstrip(".")  # type: ignore[attr-defined]
            line = f"users-sdk: {what}; see '{command} --help'"
            typer.echo(" ".join(line.split()), err=True)
            code = _errors.USAGE_ERROR
        except _CLICK_EXCEPTION as error:
            typer.echo(f"users-sdk: {error.format_message()}", err=True)  # type: ignore[attr-defined]
            code = getattr(error, "exit_code", _errors.API_ERROR)
        except typer.Abort:
            typer.echo("users-sdk: aborted", err=True)
            code = _errors.INTERRUPTED
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="users-sdk",
    cls=RootGroup,
    help="The Users API from the command line: every operation, bulk import and export.",
    epilog=_errors.EXIT_CODES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # they print local variables: the credential
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", metavar="URL", help="The API's address; default: $USERS_API_BASE_URL."
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            metavar="TOKEN",
            help="A bearer token; default: $USERS_API_TOKEN (safer: argv is visible to others).",
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            metavar="KEY",
            help="An API key instead of a token; default: $USERS_API_KEY.",
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Log each request on stderr and show tracebacks (never a credential)."
        ),
    ] = False,
) -> None:
    state = state_of(ctx)
    state.base_url, state.token, state.api_key, state.debug = base_url, token, api_key, debug
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger = logging.getLogger("users_sdk")
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)

        def restore() -> None:  # the CLI may run several times in one process (tests)
            logger.removeHandler(handler)
            logger.setLevel(level)

        ctx.call_on_close(restore)
