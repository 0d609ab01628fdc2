"""`users import FILE` and `users export FILE`, on `users_sdk.bulk`.

The import checks the whole file first (a bad cell is a usage error naming
its line and column, before anything is sent), then hands the rows to
`bulk.import_users` with an import id that is stable for the file, so a run
started again after a crash or Ctrl-C replays what the first one created.
The export writes page after page with a checkpoint (`_checkpoint`) that
`--resume` continues from.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from .._records import to_record
from . import _errors, _output, _user_fields
from ._checkpoint import Checkpoint, checkpoint_path
from ._commands import FILTERS, Output, Progress, users
from ._files import FILE_FORMATS, ImportFile, RejectsFile, default_import_id, file_format
from ._progress import progress_bar
from ._root import state_of
from ._spec_options import literal

if TYPE_CHECKING:
    from ..bulk import ImportProgress, RowResult

    FileFormat = str
else:
    FileFormat = literal(FILE_FORMATS)

__all__ = ["export_users", "import_users"]

# Failures listed on stderr when there is no --rejects file to hold them all.
_SHOWN_FAILURES = 10

Format = Annotated[
    FileFormat | None,
    typer.Option(
        "--format", help="csv or jsonl; default: from the file's extension (.csv, .jsonl, .ndjson)."
    ),
]


@users.command("import")
def import_users(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or JSON Lines.")
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
            metavar="ID", help="Names the import in the idempotency keys; default: from the path."
        ),
    ] = None,
    output: Output = None,
    progress: Progress = None,
) -> None:
    """Create a user from each row of a CSV or JSON Lines file.

    Run it again after a failure or Ctrl-C: rows already created are replayed
    (same idempotency keys), not created twice. Exit 3 if some rows failed.
    """
    from .. import bulk

    if rejects is not None and rejects.exists() and rejects.resolve() == file.resolve():
        raise _errors.UsageError(
            f"--rejects {rejects} is the file being imported, and would overwrite it; "
            "name another file"
        )
    source = ImportFile(file, file_format(file, fmt))
    total = source.scan()
    import_id = import_id or default_import_id(file)
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


@users.command("export")
@FILTERS
def export_users(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(dir_okay=False, help="CSV or JSON Lines.")],
    fmt: Format = None,
    resume: Annotated[
        bool,
        typer.Option(help="Continue a stopped export after its last page (FILE.resume.json)."),
    ] = False,
    progress: Progress = None,
    **spec: Any,
) -> None:
    """Write every user matching the filters to a CSV or JSON Lines file."""
    from .. import bulk

    fmt = file_format(file, fmt)
    if file.exists() and not file.is_file():
        raise _errors.UsageError(
            f"{file} is not a regular file: an export is cut back and resumed in place; "
            "to stream users into a pipe, use `users-sdk users list --all --output jsonl`"
        )
    sidecar = checkpoint_path(file)
    filters = FILTERS.values(spec)
    if resume:
        checkpoint = _resumable(Checkpoint.load(sidecar), file, fmt, filters)
        if checkpoint.done:
            sidecar.unlink(missing_ok=True)
            typer.echo(
                f"users-sdk: the export to {file} had finished ({checkpoint.rows} users); "
                "nothing to resume",
                err=True,
            )
            return
        stream = _reopened(file, checkpoint.size)
    else:
        checkpoint = Checkpoint(format=fmt, filters=filters)
        stream = _created(file)
    with stream:
        sink = _BytesSink(stream)
        writer = _output.RecordWriter(fmt, _user_fields.columns(), stream=sink, header=not resume)
        _commit(stream, checkpoint, sidecar)
        with state_of(ctx).client() as client, progress_bar(progress, "export") as update:
            update(checkpoint.rows)
            resume_from: dict[str, Any] = (
                {} if checkpoint.cursor is None else {"cursor": checkpoint.cursor}
            )
            for page in bulk.export_pages(client, **checkpoint.filters, **resume_from):
                for user in page.users:
                    writer.write(to_record(user))
                checkpoint.rows += len(page.users)
                checkpoint.cursor = page.resume_cursor
                # After the last page the cursor is None, which would also read as
                # "from the start": `done` says a resume has nothing left to do.
                checkpoint.done = page.resume_cursor is None
                _commit(stream, checkpoint, sidecar)
                update(checkpoint.rows)
    sidecar.unlink(missing_ok=True)  # finished: nothing left to resume
    typer.echo(f"exported {checkpoint.rows} users to {file}", err=True)


def _resumable(checkpoint: Checkpoint, file: Path, fmt: str, filters: dict[str, Any]) -> Checkpoint:
    if checkpoint.format != fmt:
        raise _errors.UsageError(
            f"the export to resume is {checkpoint.format}, not {fmt}; "
            f"pass --format {checkpoint.format}"
        )
    if filters and filters != checkpoint.filters:
        raise _errors.UsageError(
            "the filters differ from those of the export being resumed; "
            "leave them out to keep its own"
        )
    if not file.exists() or file.stat().st_size < checkpoint.size:
        raise _errors.UsageError(f"{file} is shorter than its checkpoint says; export it again")
    return checkpoint


def _created(file: Path) -> BinaryIO:
    try:
        return file.open("wb")
    except OSError as error:
        raise _errors.UsageError(f"cannot write {file}: {error.strerror or error}") from None


def _reopened(file: Path, size: int) -> BinaryIO:
    """The export file cut back to its last whole page, positioned at its end."""
    try:
        stream = file.open("r+b")
        stream.truncate(size)
    except OSError as error:
        raise _errors.UsageError(f"cannot resume {file}: {error.strerror or error}") from None
    stream.seek(size)
    return stream


def _commit(stream: BinaryIO, checkpoint: Checkpoint, sidecar: Path) -> None:
    """The rows on disk first, then the checkpoint that counts them."""
    stream.flush()
    os.fsync(stream.fileno())
    checkpoint.size = stream.tell()
    checkpoint.save(sidecar)


class _BytesSink:
    """Text from the RecordWriter, as UTF-8 bytes straight into the export
    file, so that its size after a flush is exactly that of whole rows."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, text: str, /) -> int:
        return self._stream.write(text.encode("utf-8"))

    def flush(self) -> None:
        self._stream.flush()
