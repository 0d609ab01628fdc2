"""The run state both import drivers share: the settings checked once, the
adaptive limit, the tally, the callbacks, and the rule for an error that
stops the whole import."""

from __future__ import annotations

from collections.abc import Callable, Sized
from dataclasses import dataclass

from .._exceptions import (
    APIConnectionError,
    AuthenticationError,
    PermissionDeniedError,
    UsersAPIError,
)
from .._input import values as check
from ._arguments import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, callback, positive
from ._keys import checked_import_id
from ._limiter import AdaptiveLimit
from ._results import ImportProgress, ImportSummary, RowResult, Tally
from ._rows import Pace, RowJob, import_row

__all__ = ["ImportRun"]


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
            max_attempts=positive(
                "max_attempts", max_attempts, 100, "it counts the attempts of each call"
            ),
            limit=AdaptiveLimit(positive("concurrency", concurrency, MAX_CONCURRENCY, advice)),
            tally=Tally(total),
            on_progress=callback("on_progress", on_progress),
            on_result=callback("on_result", on_result),
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
