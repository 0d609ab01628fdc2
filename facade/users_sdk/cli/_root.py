"""The root command `users-sdk`: its global options (where the API is, the
credential, --debug), and the one place errors become a line and an exit code.

The credential comes from the SDK's environment variables (the safer way:
argv is visible to other users of the machine) or from --token / --api-key,
and is never printed: the SDK's messages and logs redact it, and tracebacks
(only with --debug) show no local variables. The global options may also
follow the command (`_command_classes`).

A reader that closes stdout early (`users-sdk users list --all | head -1`)
ends the command quietly with exit 0: the reader had what it wanted.

Only Typer's public names are used: newer Typer releases carry their own copy
of Click, so `click` itself may not even be installed.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from .._exceptions import UsersAPIError
from . import _errors
from ._command_classes import Group
from ._state import State, set_option, state_of

__all__ = ["State", "app", "state_of"]

# Click's UsageError (bad flags) and ClickException, reached through the one
# of their subclasses Typer exports: Typer may vendor Click under a private name.
_CLICK_USAGE_ERROR: type[Exception] = typer.BadParameter.__mro__[1]
_CLICK_EXCEPTION: type[Exception] = _CLICK_USAGE_ERROR.__mro__[1]


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


def reader_gone() -> int:
    """Stdout's reader went away (`| head`): it had what it wanted, so exit 0.

    Stdout becomes /dev/null first, so that what is still in its buffer has
    nowhere to fail at Python's own flush at exit (which would print "Exception
    ignored ... BrokenPipeError"): the recipe of the `signal` module's docs.
    """
    stdout = sys.__stdout__
    if stdout is not None and sys.stdout is stdout:  # a real process, not a test's runner
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
    return _errors.OK


class RootGroup(Group):
    """Errors in, one line and an exit code out, Click's own usage errors too."""

    def make_context(self, *args: Any, **extra: Any) -> Any:
        try:  # --help, printed while the root's options are read
            return super().make_context(*args, **extra)
        except BrokenPipeError:
            raise typer.Exit(reader_gone()) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise typer.Exit(reader_gone()) from None
        except (typer.Exit, typer.Abort, _CLICK_EXCEPTION):
            raise  # Typer's own handling: exit codes, usage errors
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
    for name, value in (
        ("base_url", base_url), ("token", token), ("api_key", api_key), ("debug", debug),
    ):  # fmt: skip
        set_option(ctx, name, value)
