"""Records on stdout (or into a file) as a table, JSON, JSON Lines or CSV.

JSON Lines and CSV stream: each record is written as it comes, so `users
list --all` keeps one page in memory. A table (rich) needs every row first.
The default is a table on a terminal and JSON Lines when piped.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Protocol, TextIO

from . import _cells

__all__ = ["FORMATS", "RecordWriter", "resolve_format", "write_many", "write_one"]

FORMATS: Final = ("table", "json", "jsonl", "csv")


class Sink(Protocol):
    """Where records go: stdout, or an export file."""

    def write(self, text: str, /) -> int: ...
    def flush(self) -> None: ...


def resolve_format(chosen: str | None, stream: TextIO | None = None) -> str:
    if chosen is not None:
        return chosen
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "jsonl"


def _json_line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class RecordWriter:
    """Writes records one by one in one format; close() finishes the document."""

    def __init__(
        self,
        fmt: str,
        columns: Sequence[str],
        *,
        table_columns: Sequence[str] | None = None,
        stream: Sink | None = None,
        header: bool = True,
    ) -> None:
        self.format = fmt
        self.stream: Sink = stream or sys.stdout
        self.columns = list(columns)
        self.count = 0
        self._table_columns = list(table_columns or columns)
        self._rows: list[Mapping[str, Any]] = []
        self._csv = None
        if fmt == "csv":
            # Fields the spec does not know yet (a newer API) are left out of CSV.
            self._csv = csv.writer(self.stream, lineterminator="\n")
            if header:
                self._csv.writerow(self.columns)
        elif fmt == "json":
            self.stream.write("[")

    def write(self, record: Mapping[str, Any]) -> None:
        if self.format == "jsonl":
            self.stream.write(_json_line(record) + "\n")
        elif self.format == "csv":
            assert self._csv is not None
            self._csv.writerow([_cells.to_text(record.get(column)) for column in self.columns])
        elif self.format == "json":
            self.stream.write(("\n" if self.count == 0 else ",\n") + _json_line(record))
        else:
            self._rows.append(record)
        self.count += 1

    def write_all(self, records: Iterable[Mapping[str, Any]]) -> int:
        for record in records:
            self.write(record)
        return self.count

    def close(self) -> None:
        if self.format == "json":
            self.stream.write("\n]\n" if self.count else "]\n")
        elif self.format == "table":
            _print_table(self._table_columns, self._rows, self.stream)
        self.stream.flush()


def write_many(
    fmt: str,
    records: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    table_columns: Sequence[str] | None = None,
) -> int:
    writer = RecordWriter(fmt, columns, table_columns=table_columns)
    try:
        writer.write_all(records)
    finally:
        writer.close()
    return writer.count


def write_one(fmt: str, record: Mapping[str, Any]) -> None:
    """One object: itself in JSON, a field/value table on a terminal."""
    stream = sys.stdout
    if fmt == "json":
        stream.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "table":
        _print_table(
            ["field", "value"], [{"field": k, "value": v} for k, v in record.items()], stream
        )
    else:
        write_many(fmt, [record], list(record))
    stream.flush()


def _print_table(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], stream: Sink) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # plain text: a "[bold]" in a name is not markup

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1 itself: the command line's own handling exits 0.
            raise BrokenPipeError("the reader of stdout went away")

    table = Table(*columns, show_edge=False, header_style="bold")
    for row in rows:
        table.add_row(*(Text(_table_cell(row.get(column))) for column in columns))
    _Console(file=stream, soft_wrap=False).print(table)  # type: ignore[arg-type]


def _table_cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return _cells.to_text(value)
