"""`users-sdk users ...`: one command per operation, and `summary`.

The options that come from the spec are added by the `SpecOptions`
decorators (`**spec`); the others are written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._records import to_record
from .._request_facts import (
    CREATE_USER_BODY,
    LIST_USERS_QUERY,
    UPDATE_USER_BODY,
    ListUsersParams,
    UserCreateParams,
    UserUpdateParams,
)
from . import _input, _output, _user_fields
from ._command_classes import Command, Group
from ._errors import UsageError
from ._progress import progress_bar
from ._spec_options import SpecOptions, choices, clear_choices, literal, plain
from ._state import state_of

__all__ = ["FILTERS", "Output", "Progress", "users"]

# The parameters of listUsers that pagination owns (as in the facade); every
# other one is a filter, the sort or the page size.
CURSOR, LIMIT = "cursor", "limit"

LIST_PARAMETERS = SpecOptions.of(LIST_USERS_QUERY, ListUsersParams, "listUsers parameter")
FILTERS = SpecOptions.of(
    LIST_USERS_QUERY, ListUsersParams, "listUsers parameter", leave_out=[CURSOR]
)
CREATE_FIELDS = SpecOptions.of(CREATE_USER_BODY, UserCreateParams, "UserCreate field")
UPDATE_FIELDS = SpecOptions.of(UPDATE_USER_BODY, UserUpdateParams, "UserUpdate field")
CLEARED = clear_choices(UPDATE_USER_BODY)

if TYPE_CHECKING:  # choices built at run time: Literals of what the code and the spec list
    OutputFormat = str
    ClearableField = str
else:
    OutputFormat = literal(_output.FORMATS)
    ClearableField = choices("ClearableField", CLEARED)

Output = Annotated[
    OutputFormat | None,
    typer.Option(
        "--output",
        "-o",
        help="table, json, jsonl or csv; default: a table on a terminal, jsonl when piped.",
    ),
]
Progress = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        help="A progress bar on stderr; default: only when stderr is a terminal.",
    ),
]
Data = Annotated[
    str | None,
    typer.Option(
        metavar="@FILE|-|JSON",
        help="The fields as a JSON object: @file.json, - for stdin, or inline. Flags win.",
    ),
]
UserId = Annotated[str, typer.Argument(metavar="ID", help="The user's id (usr_...).")]

users = typer.Typer(
    name="users",
    cls=Group,
    help="Users: list, get, create, update, delete, invite, passwords, bulk import and export.",
    no_args_is_help=True,
)


def user_records(found: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for user in found:
        yield to_record(user)


def write_users(fmt: str, records: Iterable[dict[str, Any]]) -> int:
    return _output.write_many(
        fmt, records, _user_fields.columns(), table_columns=_user_fields.table_columns()
    )


@users.command("list", cls=Command)
@LIST_PARAMETERS
def list_users(
    ctx: typer.Context,
    output: Output = None,
    progress: Progress = None,
    every_page: Annotated[
        bool, typer.Option("--all", help="Every page; --limit is then the page size.")
    ] = False,
    **spec: Any,
) -> None:
    """List users: one page (--limit, --cursor), or every page (--all)."""
    fmt = _output.resolve_format(output)
    with state_of(ctx).client() as client:
        page = client.users.list(**LIST_PARAMETERS.values(spec))
        if not every_page:
            write_users(fmt, user_records(page.items))
            if page.has_next_page():
                typer.echo(
                    f"more: --cursor {page.next_cursor} for the next page, or --all", err=True
                )
            return
        with progress_bar(progress, "users") as update:

            def walk() -> Iterator[dict[str, Any]]:
                for count, user in enumerate(page, 1):
                    update(count)
                    yield to_record(user)

            write_users(fmt, walk())


@users.command("get", cls=Command)
def get_user(ctx: typer.Context, user_id: UserId, output: Output = None) -> None:
    """Show one user."""
    with state_of(ctx).client() as client:
        _output.write_one(_output.resolve_format(output), to_record(client.users.get(user_id)))


@users.command("me", cls=Command)
def me(ctx: typer.Context, output: Output = None) -> None:
    """Show the user the credential belongs to."""
    with state_of(ctx).client() as client:
        _output.write_one(_output.resolve_format(output), to_record(client.users.me()))


@users.command("create", cls=Command)
@CREATE_FIELDS
def create(ctx: typer.Context, output: Output = None, data: Data = None, **spec: Any) -> None:
    """Create a user from flags, --data, or both."""
    body = {**_input.read_data(data), **CREATE_FIELDS.values(spec)}
    with state_of(ctx).client() as client:
        user = client.users.create(body)
    _output.write_one(_output.resolve_format(output), to_record(user))


@users.command("update", cls=Command)
@UPDATE_FIELDS
def update(
    ctx: typer.Context,
    user_id: UserId,
    output: Output = None,
    data: Data = None,
    cleared: Annotated[
        list[ClearableField] | None,
        typer.Option(
            "--clear",
            help="Clear a field (null, or an empty list or map); repeat for several.",
        ),
    ] = None,
    if_match: Annotated[
        str | None,
        typer.Option(
            metavar="VERSION",
            help="Only if the user is still at this version (or ETag); else exit 1, no change.",
        ),
    ] = None,
    **spec: Any,
) -> None:
    """Change some fields of a user; the others stay."""
    fields = UPDATE_FIELDS.values(spec)
    cleared = plain(cleared or [])
    both = [name for name in cleared if name in fields]
    if both:
        option = UPDATE_FIELDS.flags()[both[0]]
        raise UsageError(f"{option} and --clear {both[0]} contradict each other")
    body = {**_input.read_data(data), **fields, **{name: CLEARED[name] for name in cleared}}
    if not body:
        raise UsageError("nothing to change: give a field flag, --clear FIELD or --data")
    version: int | str | None = int(if_match) if if_match and if_match.isdigit() else if_match
    with state_of(ctx).client() as client:
        user = client.users.update(user_id, body, if_match=version)
    _output.write_one(_output.resolve_format(output), to_record(user))


@users.command("delete", cls=Command)
def delete(
    ctx: typer.Context,
    user_id: UserId,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (needed without a terminal).")
    ] = False,
) -> None:
    """Delete a user: asks first, showing its id and email.

    Answering no deletes nothing and exits 0.
    """
    _input.can_ask(f"Delete user {user_id}", yes=yes)
    with state_of(ctx).client() as client:
        if not yes:
            shown = f"{user_id} ({client.users.get(user_id).email})"
            if not _input.confirm(f"Delete user {shown}?"):
                typer.echo(f"users-sdk: not deleted: {shown} is unchanged", err=True)
                return
        client.users.delete(user_id)
    typer.echo(f"deleted {user_id}", err=True)


@users.command("invite", cls=Command)
def invite(ctx: typer.Context, user_id: UserId, output: Output = None) -> None:
    """(Re)send the invitation of an invited user."""
    with state_of(ctx).client() as client:
        invitation = client.users.invite(user_id)
    _output.write_one(_output.resolve_format(output), to_record(invitation))


@users.command("reset-password", cls=Command)
def reset_password(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The user's email.")]
) -> None:
    """Send a password-reset token to EMAIL, if a user has it."""
    with state_of(ctx).client() as client:
        client.users.reset_password(email)
    typer.echo("accepted: if a user has that email, a reset token is on its way", err=True)


@users.command("set-password", cls=Command)
def set_password(ctx: typer.Context) -> None:
    """Set a new password with a reset token.

    Reads the token and the new password from stdin, one line each, or asks
    for them (hidden) on a terminal; never from the command line, where other
    users of the machine could read them.
    """
    reset_token, password = _input.read_secrets("reset token", "new password")
    with state_of(ctx).client() as client:
        client.users.set_password(reset_token, password)
    typer.echo("password set", err=True)


@users.command("summary", cls=Command)
@FILTERS
def summary(
    ctx: typer.Context, output: Output = None, progress: Progress = None, **spec: Any
) -> None:
    """Count the users (matching the filters) by each enum field: role, status, ..."""
    counts = {
        field: dict.fromkeys(values, 0) for field, values in _user_fields.enum_fields().items()
    }
    query = FILTERS.values(spec)
    query.setdefault(LIMIT, LIST_USERS_QUERY[LIMIT].maximum)  # the fewest pages
    total = 0
    with state_of(ctx).client() as client, progress_bar(progress, "users") as update:
        for total, user in enumerate(client.users.list(**query), 1):
            record = user.to_dict()
            for field, by_value in counts.items():
                value = str(record.get(field))  # a value the spec does not know yet counts too
                by_value[value] = by_value.get(value, 0) + 1
            update(total)
    rows = [
        {"field": field, "value": value, "count": count}
        for field, by_value in counts.items()
        for value, count in by_value.items()
    ]
    _output.write_many(_output.resolve_format(output), rows, ["field", "value", "count"])
    typer.echo(f"{total} users", err=True)
