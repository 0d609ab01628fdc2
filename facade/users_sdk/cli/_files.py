"""The files of `users import` and `users export`: CSV or JSON Lines.

Reading converts each CSV cell by its field's kind (`_cells`); a cell that is
not a value of its kind is a usage error naming the file, line and column,
found by `ImportFile.scan()` before anything is sent. The rejects file is the
input's own format with one more column, `error`, which a later import of
the fixed file ignores.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final, TextIO

from .._request_facts import CREATE_USER_BODY
from . import _cells
from ._errors import UsageError
from ._output import RecordWriter

__all__ = [
    "FILE_FORMATS",
    "REJECT_COLUMN",
    "STDIN_IMPORT_ID",
    "ImportFile",
    "RejectsFile",
    "file_format",
    "is_standard_stream",
    "stdin_copy",
]

FILE_FORMATS: Final = ("csv", "jsonl")
_SUFFIXES: Final = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
REJECT_COLUMN: Final = "error"
# `-` for the file: stdin for an import, stdout for an export, JSON Lines unless
# --format says otherwise (as `users list` writes when piped).
STANDARD_STREAM: Final = "-"
STREAM_FORMAT: Final = "jsonl"
# The import id of stdin: its rows' keys hold their content, so that a rerun of
# the same rows (a fixed input, say) replays those already created.
STDIN_IMPORT_ID: Final = "cli-stdin"


def is_standard_stream(path: Path) -> bool:
    return str(path) == STANDARD_STREAM


def file_format(path: Path, chosen: str | None) -> str:
    if chosen is not None:
        return chosen
    if is_standard_stream(path):
        return STREAM_FORMAT
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise UsageError(
            f"cannot tell the format of {path.name} from its extension; pass --format csv or jsonl"
        )
    return found


def default_import_id(path: Path) -> str:
    """Stable for the same file: a rerun (after a crash, or after fixing some
    rows) replays what the first run created instead of creating it again."""
    return "cli-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]


@contextmanager
def stdin_copy() -> Iterator[Path]:
    """Stdin in a temporary file named `stdin`: an import reads its input twice
    (every row checked before any is sent, then sent)."""
    if sys.stdin.isatty():
        raise UsageError("the import reads stdin, which is a terminal: pipe the rows in (< FILE)")
    with tempfile.TemporaryDirectory(prefix="users-sdk-") as folder:
        path = Path(folder) / "stdin"
        with path.open("wb") as copy:
            shutil.copyfileobj(sys.stdin.buffer, copy)
        yield path


class ImportFile:
    """The rows of an import file, as the create fields they hold."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.format = fmt
        self.columns: list[str] = []  # CSV: the header; JSONL: every key seen
        self.lines: list[int] = []  # the line each row starts on, by row index

    def scan(self) -> int:
        """Read and check every row once (nothing is sent); the number of rows."""
        self.lines = []
        for line, _ in self._rows():
            self.lines.append(line)
        return len(self.lines)

    def rows(self) -> Iterator[dict[str, Any]]:
        for _, row in self._rows():
            yield row

    def where(self, index: int) -> str:
        line = self.lines[index] if index < len(self.lines) else "?"
        return f"row {index + 1} (line {line})"

    def _rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as stream:
                if self.format == "csv":
                    yield from self._csv_rows(stream)
                else:
                    yield from self._jsonl_rows(stream)
        except UnicodeDecodeError as error:
            raise UsageError(f"{self.path.name} is not UTF-8 text ({error})") from None
        except OSError as error:
            raise UsageError(f"cannot read {self.path}: {error.strerror or error}") from None
        except csv.Error as error:
            raise UsageError(f"{self.path.name} is not valid CSV: {error}") from None

    def _csv_rows(self, stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            raise UsageError(
                f"{self.path.name} is empty: a CSV import starts with a header line naming "
                f"its columns ({', '.join(CREATE_USER_BODY)})"
            )
        self.columns = [name.strip() for name in header]
        self._check_columns(self.columns, where="")
        missing = [
            name
            for name, kind in CREATE_USER_BODY.items()
            if kind.required and name not in self.columns
        ]
        if missing:
            raise UsageError(f"{self.path.name} has no {', '.join(missing)} column (required)")
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) > len(self.columns):
                raise UsageError(f"{self.path.name} line {line}: more cells than the header has")
            yield line, self._converted(line, dict(zip(self.columns, cells, strict=False)))

    def _check_columns(self, names: Sequence[str], *, where: str, noun: str = "column") -> None:
        """Refuse what would lose data: a column twice (the last one would win), or
        one no user has (the API would ignore it, in every row)."""
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise UsageError(
                f"{self.path.name}{where}: the {noun} {', '.join(map(repr, twice))} "
                "appears more than once; keep one"
            )
        unknown = [n for n in names if n not in CREATE_USER_BODY and n != REJECT_COLUMN]
        if unknown:
            raise UsageError(
                f"{self.path.name}{where}: unknown {noun} {', '.join(map(repr, unknown))}; "
                f"a user has {', '.join(CREATE_USER_BODY)}: rename it or leave it out"
            )

    def _converted(self, line: int, cells: Mapping[str, str]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for column, cell in cells.items():
            kind = CREATE_USER_BODY.get(column)
            if kind is None and column == REJECT_COLUMN:
                continue
            try:
                value = _cells.from_text(kind, cell)
            except _cells.CellError as error:
                raise UsageError(
                    f"{self.path.name} line {line}, column {column}: {error}"
                ) from None
            if value is not _cells.OMIT:
                row[column] = value
        return row

    def _jsonl_rows(self, stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
        seen: dict[str, None] = {}
        for line, text in enumerate(stream, 1):
            if not text.strip():
                continue
            try:
                row = _cells.json_object(text)
            except _cells.CellError as error:
                raise UsageError(f"{self.path.name} line {line}: {error}") from None
            if REJECT_COLUMN not in CREATE_USER_BODY:
                row.pop(REJECT_COLUMN, None)
            self._check_columns(list(row), where=f" line {line}", noun="field")
            seen.update(dict.fromkeys(row))
            self.columns = list(seen)
            yield line, row


class RejectsFile:
    """Each failed row with its error message, written as it fails."""

    def __init__(self, path: Path, fmt: str, columns: Sequence[str]) -> None:
        self.path = path
        self.count = 0
        self._lock = threading.Lock()  # results may come from several workers
        try:
            self._stream = path.open("w", encoding="utf-8", newline="")
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        names = [c for c in columns if c != REJECT_COLUMN] + [REJECT_COLUMN]
        self._writer = RecordWriter(fmt, names, stream=self._stream)

    def add(self, row: Mapping[str, Any], message: str) -> None:
        with self._lock:
            self._writer.write({**row, REJECT_COLUMN: message})
            self._stream.flush()
            self.count += 1

    def close(self) -> None:
        self._writer.close()
        self._stream.close()
