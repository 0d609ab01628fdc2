"""What an import reports: a result per row, progress after each row, a summary
at the end; and what an export yields, a page at a time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from .._exceptions import UsersAPIError
from ._limiter import AdaptiveLimit

if TYPE_CHECKING:
    from users_api_client.models import Invitation, User

__all__ = ["ExportPage", "ImportProgress", "ImportSummary", "RowResult", "RowStatus", "Tally"]

RowStatus: TypeAlias = Literal["created", "replayed", "failed"]


@dataclass(frozen=True, slots=True)
class RowResult:
    """The outcome of one row.

    `status` is "created", "replayed" (an earlier run of the same import created
    it; the server answered with the stored response) or "failed". A failed row
    has the SDK's `error`, whose message says what to fix; with `invite=True`, a
    row whose invitation failed is "failed" with `user` set.
    """

    index: int  # the row's 0-based position in `rows`
    row: Mapping[str, Any]
    status: RowStatus
    user: User | None = None
    error: UsersAPIError | None = None
    invitation: Invitation | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Counts after a row finished; `concurrency` is the adaptive limit now,
    `throttled` the 429 and 503 answers so far; `total` None when not known."""

    done: int
    total: int | None
    created: int
    replayed: int
    failed: int
    concurrency: int
    throttled: int


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """The whole import: `failures` holds the failed rows only, in the order they finished."""

    total: int
    created: int
    replayed: int
    failed: int
    failures: list[RowResult] = field(repr=False)
    throttled: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True, slots=True)
class ExportPage:
    """One page of an export; `resume_cursor` continues after it (pass it as
    `cursor=`), None after the last page."""

    users: Sequence[User]
    resume_cursor: str | None


class Tally:
    """The counts of one import, kept as rows finish."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.counts: dict[RowStatus, int] = {"created": 0, "replayed": 0, "failed": 0}
        self.failures: list[RowResult] = []

    def record(self, result: RowResult, limit: AdaptiveLimit) -> ImportProgress:
        self.counts[result.status] += 1
        if result.status == "failed":
            self.failures.append(result)
        return ImportProgress(
            done=sum(self.counts.values()),
            total=self.total,
            created=self.counts["created"],
            replayed=self.counts["replayed"],
            failed=self.counts["failed"],
            concurrency=limit.limit,
            throttled=limit.throttled_total,
        )

    def summary(self, limit: AdaptiveLimit) -> ImportSummary:
        return ImportSummary(
            total=sum(self.counts.values()),
            created=self.counts["created"],
            replayed=self.counts["replayed"],
            failed=self.counts["failed"],
            failures=self.failures,
            throttled=limit.throttled_total,
        )
