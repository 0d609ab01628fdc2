"""`users import FILE` (or `-`, stdin), on `users_sdk.bulk`.

The import checks the whole file first (a bad cell is a usage error naming
its line and column, before anything is sent), then hands the rows to
`bulk.import_users` with an import id that is stable for the file (its path;
stdin's is fixed), so a run started again after a crash or Ctrl-C replays
what the first one created. A replayed row creates nothing, even if its user
was deleted since: the summary says so, and names --import-id.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import _errors, _output
from ._command_classes import Command
from ._commands import Output, Progress, users
from ._files import (
    FILE_FORMATS,
    STDIN_IMPORT_ID,
    ImportFile,
    RejectsFile,
    default_import_id,
    file_format,
    is_standard_stream,
    stdin_copy,
)
from ._progress import progress_bar
from ._spec_options import literal
from ._state import state_of

if TYPE_CHECKING:
    from ..bulk import ImportProgress, ImportSummary, RowResult

    FileFormat = str
else:
    FileFormat = literal(FILE_FORMATS)

__all__ = ["Format", "import_users"]

# Failures listed on stderr when there is no --rejects file to hold them all.
_SHOWN_FAILURES = 10

Format = Annotated[
    FileFormat | None,
    typer.Option(
        "--format",
        help="csv or jsonl; default: from the file's extension (.csv, .jsonl, .ndjson), "
        "jsonl for -.",
    ),
]


@users.command("import", cls=Command)
def import_users(
    ctx: typer.Context,
    file: Annotated[
        Path,
        # Not exists=True: Typer 0.29 then refuses `-` (reading it checks the file).
        typer.Argument(dir_okay=False, help="CSV or JSON Lines; - reads stdin."),
    ],
    fmt: Format = None,
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, help="Rows in flight at most (it adapts to 429 and 503); default 8."),
    ] = None,
    invite: Annotated[bool, typer.Option(help="Send each created user its invitation.")] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            dir_okay=False,
            help="Each failed row, with its error, goes here (same format).",
        ),
    ] = None,
    import_id: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="Names the import in the idempotency keys; default: from the path "
            f"({STDIN_IMPORT_ID} for stdin). A new one imports rows done before again.",
        ),
    ] = None,
    output: Output = None,
    progress: Progress = None,
) -> None:
    """Create a user from each row of a CSV or JSON Lines file.

    Run it again after a failure or Ctrl-C: rows already created are replayed
    (same idempotency keys), not created twice. Exit 3 if some rows failed.
    """
    from_stdin = is_standard_stream(file)
    same = rejects is not None and not from_stdin and rejects.exists()
    if same and rejects is not None and rejects.resolve() == file.resolve():
        raise _errors.UsageError(
            f"--rejects {rejects} is the file being imported, and would overwrite it; "
            "name another file"
        )
    with ExitStack() as stack:
        path = stack.enter_context(stdin_copy()) if from_stdin else file
        source = ImportFile(path, file_format(file, fmt))
        try:
            total = source.scan()
        except _errors.UsageError as error:
            if from_stdin and fmt is None:
                raise _errors.UsageError(
                    f"{error}; stdin is read as JSON Lines: pass --format csv for CSV"
                ) from None
            raise
        chosen_id = import_id
        import_id = import_id or (STDIN_IMPORT_ID if from_stdin else default_import_id(file))
        summary = _run(ctx, source, total, import_id, invite, rejects, concurrency, progress)
    if summary.replayed:
        note = _replayed_note(summary.replayed, import_id, chosen=chosen_id is not None)
        typer.echo(note, err=True)
    record = {
        "import_id": import_id,
        "total": summary.total,
        "created": summary.created,
        "replayed": summary.replayed,
        "failed": summary.failed,
        "rejects": str(rejects) if rejects else None,
    }
    _output.write_one(_output.resolve_format(output), record)
    if summary.failed:
        raise typer.Exit(_errors.PARTIAL_IMPORT)


def _run(
    ctx: typer.Context,
    source: ImportFile,
    total: int,
    import_id: str,
    invite: bool,
    rejects: Path | None,
    concurrency: int | None,
    progress: bool | None,
) -> ImportSummary:
    """Send the rows; failures go to --rejects, or the first few to stderr."""
    from .. import bulk

    rejected = RejectsFile(rejects, source.format, source.columns) if rejects else None
    shown = 0

    def on_result(result: RowResult) -> None:
        nonlocal shown
        if result.status != "failed":
            return
        text = _errors.message(result.error) if result.error else "failed"
        if rejected is not None:
            rejected.add(result.row, text)
        elif shown < _SHOWN_FAILURES:
            shown += 1
            typer.echo(f"users-sdk: {source.where(result.index)}: {text}", err=True)

    options: dict[str, Any] = {} if concurrency is None else {"concurrency": concurrency}
    try:
        with state_of(ctx).client() as client, progress_bar(progress, "import", total) as update:

            def on_progress(state: ImportProgress) -> None:
                status = (
                    f"{state.created} created, {state.replayed} replayed, {state.failed} failed"
                )
                if state.throttled:
                    status += f"; throttled, {state.concurrency} at once"
                update(state.done, status=status)

            summary = bulk.import_users(
                client,
                source.rows(),
                import_id=import_id,
                invite=invite,
                total=total,
                on_progress=on_progress,
                on_result=on_result,
                **options,
            )
    finally:
        if rejected is not None:
            rejected.close()
    if summary.failed > shown and rejected is None:
        typer.echo(
            f"users-sdk: ... and {summary.failed - shown} more failed rows; "
            "--rejects FILE keeps every one with its error",
            err=True,
        )
    return summary


def _replayed_note(replayed: int, import_id: str, *, chosen: bool) -> str:
    """Why a replayed row created nothing, and how to create it again."""
    where = ""
    if not chosen:
        where = ", stdin's default" if import_id == STDIN_IMPORT_ID else ", from the file's path"
    if replayed == 1:
        rows, they, results, users = "1 row", "it was", "result", "it again as a new user"
    else:
        rows, they, results, users = (
            f"{replayed} rows",
            "they were",
            "results",
            "them again as new users",
        )
    return (
        f"users-sdk: {rows} replayed, not created: {they} imported before under this import "
        f"id ({import_id}{where}), so the server answered with the earlier {results}; to "
        f"create {users} (deleted since, say), pass a new --import-id"
    )
