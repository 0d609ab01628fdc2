"""The arguments of an import, checked before the first row is read; and the
run state both drivers share (the limit, the tally, the callbacks)."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sized
from dataclasses import dataclass
from typing import Any

from .. import _validation as check
from .._exceptions import (
    APIConnectionError,
    AuthenticationError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    PermissionDeniedError,
    UsersAPIError,
)
from ._keys import checked_import_id
from ._limiter import AdaptiveLimit
from ._results import ImportProgress, ImportSummary, RowResult, Tally
from ._rows import Pace, RowJob, import_row

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_ATTEMPTS",
    "MAX_CONCURRENCY",
    "ImportRun",
    "checked_client",
    "checked_rows",
]

DEFAULT_CONCURRENCY = 8
# The SDK's connection pool holds 100 connections; more rows in flight would
# only wait for one.
MAX_CONCURRENCY = 100
# Attempts per call (create, invite) before a throttled row is given up as failed.
# Generous on purpose: the rows in flight share a storm's 429s unevenly (with
# ten, one row of a 40-answer storm sometimes met more and failed), and
# riding a storm out is the point of an import. Transient failures give up
# after three retries whatever this says.
DEFAULT_MAX_ATTEMPTS = 100


def checked_client(client: object, expected: type, name: str, twin: str) -> None:
    """A UsersClient for the sync functions, an AsyncUsersClient for the async ones."""
    if isinstance(client, expected):
        return
    given = type(client).__name__
    if given in {"UsersClient", "AsyncUsersClient"}:
        advice = f"; {twin}() takes {_a(given)}"
    else:
        advice = f": make one with {expected.__name__}(base_url=..., token=...)"
    raise InvalidArgumentTypeError(f"{name}() takes {_a(expected.__name__)}, not {given}{advice}")


def _a(name: str) -> str:
    return f"an {name}" if name.startswith("Async") else f"a {name}"


def checked_rows(rows: object, name: str, *, may_be_async: bool = False) -> None:
    if isinstance(rows, Mapping):
        raise InvalidArgumentTypeError(
            f"{name}() takes an iterable of rows (one mapping per user), not one mapping; "
            "wrap a single row in a list"
        )
    if isinstance(rows, str | bytes) or not (
        isinstance(rows, Iterable) or (may_be_async and isinstance(rows, AsyncIterable))
    ):
        kinds = "an iterable or async iterable" if may_be_async else "an iterable"
        raise InvalidArgumentTypeError(
            f"rows must be {kinds} of mappings (a list, a generator, csv.DictReader), "
            f"not {type(rows).__name__}"
        )


def _callback(name: str, value: object) -> Callable[[Any], object] | None:
    if value is not None and not callable(value):
        raise InvalidArgumentTypeError(
            f"{name} must be a function taking one argument, or None; not {check.brief(value)}"
        )
    return value


def _positive(name: str, value: object, maximum: int, advice: str) -> int:
    number = check.integer(name, value)
    if not 1 <= number <= maximum:
        raise InvalidArgumentError(f"{name} must be from 1 to {maximum}, not {number}; {advice}")
    return number


@dataclass
class ImportRun:
    """One import's settings and state; each driver wraps it in its own way of waiting."""

    import_id: str
    invite: bool
    max_attempts: int
    limit: AdaptiveLimit
    tally: Tally
    on_progress: Callable[[ImportProgress], object] | None
    on_result: Callable[[RowResult], object] | None

    @classmethod
    def checked(
        cls,
        rows: object,
        *,
        import_id: object,
        concurrency: object,
        invite: object,
        on_progress: object,
        on_result: object,
        total: object,
        max_attempts: object,
    ) -> ImportRun:
        advice = f"it is how many rows are sent at once (default {DEFAULT_CONCURRENCY})"
        if total is None and isinstance(rows, Sized):
            total = len(rows)
        elif total is not None:
            total = check.integer("total", total)
            check.within("total", total, 0, None)
        return cls(
            import_id=checked_import_id(import_id),
            invite=check.boolean("invite", invite),
            max_attempts=_positive(
                "max_attempts", max_attempts, 100, "it counts the attempts of each call"
            ),
            limit=AdaptiveLimit(_positive("concurrency", concurrency, MAX_CONCURRENCY, advice)),
            tally=Tally(total),
            on_progress=_callback("on_progress", on_progress),
            on_result=_callback("on_result", on_result),
        )

    def job(self, index: int, row: object, pace: Pace) -> RowJob:
        """The steps of one row (see _rows.py)."""
        steps = import_row(
            index, row, import_id=self.import_id, invite=self.invite,
            max_attempts=self.max_attempts, pace=pace,
        )  # fmt: skip
        return RowJob(steps)

    def finished(self, result: RowResult) -> ImportProgress:
        """Count a finished row; call `report` after (outside any lock)."""
        self.limit.finish()
        return self.tally.record(result, self.limit)

    def report(self, result: RowResult, progress: ImportProgress) -> None:
        """Hand a finished row to the callbacks; raise the error that no other row
        can escape (both drivers stop the import with what this raises)."""
        error = result.error
        if error is not None and _fatal(error, progress.created + progress.replayed):
            raise error
        if self.on_result is not None:
            self.on_result(result)
        if self.on_progress is not None:
            self.on_progress(progress)

    def summary(self) -> ImportSummary:
        return self.tally.summary(self.limit)


def _fatal(error: UsersAPIError, succeeded: int) -> bool:
    """A refused credential fails every row alike, and so does an API that cannot
    be reached (after the row's retries) before any row got through: sending the
    rest would only take longer to say so. After a success, a connection failure
    is one row's (the rows created stay; a rerun replays them)."""
    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return True
    return isinstance(error, APIConnectionError) and succeeded == 0
