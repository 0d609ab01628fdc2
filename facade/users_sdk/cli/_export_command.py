"""`users export FILE` (or `-`, stdout), on `users_sdk.bulk`.

Into a file, the export writes page after page with a checkpoint
(`_checkpoint`) that `--resume` continues from. To stdout it streams the
rows, and the count goes to stderr, as with every command: stdout is data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from .._records import to_record
from . import _errors, _output, _user_fields
from ._checkpoint import Checkpoint, checkpoint_path
from ._command_classes import Command
from ._commands import FILTERS, Progress, users
from ._files import file_format, is_standard_stream
from ._import_command import Format
from ._progress import progress_bar
from ._state import state_of

__all__ = ["export_users"]


@users.command("export", cls=Command)
@FILTERS
def export_users(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(dir_okay=False, help="CSV or JSON Lines; - writes stdout."),
    ],
    fmt: Format = None,
    resume: Annotated[
        bool,
        typer.Option(help="Continue a stopped export after its last page (FILE.resume.json)."),
    ] = False,
    progress: Progress = None,
    **spec: Any,
) -> None:
    """Write every user matching the filters to a CSV or JSON Lines file, or to
    stdout (-): the rows on stdout, the count on stderr."""
    from .. import bulk

    fmt = file_format(file, fmt)
    filters = FILTERS.values(spec)
    if is_standard_stream(file):
        if resume:
            raise _errors.UsageError(
                "--resume continues an export into a file; an export to stdout (-) "
                "cannot be resumed: run it again"
            )
        rows = _to_stdout(ctx, fmt, filters, progress)
        typer.echo(f"exported {rows} users to stdout", err=True)
        return
    if file.exists() and not file.is_file():
        raise _errors.UsageError(
            f"{file} is not a regular file: an export is cut back and resumed in place; "
            "to stream users into a pipe, export to - (stdout)"
        )
    sidecar = checkpoint_path(file)
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


def _to_stdout(ctx: typer.Context, fmt: str, filters: dict[str, Any], progress: bool | None) -> int:
    """Every page written to stdout as it comes; the number of users."""
    from .. import bulk

    writer = _output.RecordWriter(fmt, _user_fields.columns())
    with state_of(ctx).client() as client, progress_bar(progress, "export") as update:
        for page in bulk.export_pages(client, **filters):
            for user in page.users:
                writer.write(to_record(user))
            update(writer.count)
    writer.close()
    return writer.count


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
