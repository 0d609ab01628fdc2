"""A progress bar on stderr (rich), never on stdout: a pipe stays parseable.

Shown when stderr is a terminal; `--progress` forces it (drawn as on a
terminal, for a log that is watched), `--no-progress` hides it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["Progress", "progress_bar"]


class Progress(Protocol):
    def __call__(self, completed: int, *, total: int | None = None, status: str = "") -> None: ...


def _nothing(completed: int, *, total: int | None = None, status: str = "") -> None:
    return None


@contextmanager
def progress_bar(
    wanted: bool | None, description: str, total: int | None = None
) -> Iterator[Progress]:
    """Yields `update(completed, total=, status=)`; a no-op when not shown."""
    shown = sys.stderr.isatty() if wanted is None else wanted
    if not shown:
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as RichProgress
    from rich.table import Column

    console = Console(file=sys.stderr, force_terminal=wanted or None)
    bar = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=16),
        MofNCompleteColumn(table_column=Column(no_wrap=True)),
        TimeElapsedColumn(),
        # On a narrow terminal the status is cut, never the count.
        TextColumn(
            "{task.fields[status]}", table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1)
        ),
        console=console,
        transient=False,
        # rich would otherwise catch what is printed meanwhile, stdout's rows
        # included, and show it above the bar, on stderr.
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = bar.add_task(description, total=total, status="")

    def update(completed: int, *, total: int | None = None, status: str = "") -> None:
        changes: dict[str, Any] = {"completed": completed, "status": status}
        if total is not None:
            changes["total"] = total
        bar.update(task, **changes)

    with bar:
        yield update
