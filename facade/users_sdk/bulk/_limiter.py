"""How fast an import goes, shared by the sync and async imports.

`AdaptiveLimit` caps the rows in flight, AIMD-like (as TCP does): a 429 or 503
halves the limit (never below 1) and pauses new rows for the server's
Retry-After; each run of `limit` successes in a row adds one back, up to the
concurrency asked for. Several rows throttled by the same burst shrink it once:
a row's `ticket()` says which limit it was sent under, and only a throttle
under the current one counts.

`retry_for()` says whether a failed attempt is tried again, and after how
long: throttles (429, 503) after retry-after-ms or Retry-After (seconds or an
HTTP date; at most MAX_WAIT), transient failures (connection errors, timeouts,
408, 500, 502, 504) after an exponential backoff, a few times. Every retry
reuses the row's Idempotency-Key, so none of them can create a second user.

Nothing here does I/O, sleeps or locks; the clock is a parameter.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .. import _retries
from .._exceptions import APIConnectionError, APIStatusError, UsersAPIError

__all__ = ["MAX_WAIT", "AdaptiveLimit", "retry_for", "throttle_wait"]

THROTTLE_STATUSES = frozenset({429, 503})
TRANSIENT_STATUSES = _retries.RETRYABLE_STATUSES - THROTTLE_STATUSES
# A Retry-After longer than this is cut to it: the row tries again, and gives
# up after its last attempt, rather than the import seeming to hang.
MAX_WAIT = _retries.MAX_RETRY_AFTER
# Connection errors and transient statuses are retried this many times at most
# (0.5 s, 1 s, 2 s); the server is more likely down than busy.
MAX_TRANSIENT_RETRIES = 3


class AdaptiveLimit:
    """How many rows may be in flight now; not thread-safe (the caller locks)."""

    def __init__(self, maximum: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.maximum = maximum
        self.limit = maximum
        self.in_flight = 0
        self.throttled_total = 0
        self._clock = clock
        self._epoch = 0
        self._successes = 0
        self._paused_until = 0.0

    def __repr__(self) -> str:
        return (
            f"<AdaptiveLimit {self.limit}/{self.maximum} in_flight={self.in_flight} "
            f"throttled={self.throttled_total}>"
        )

    def pause_left(self) -> float:
        """Seconds before a new row may start (0: now), after a throttle's Retry-After."""
        return max(0.0, self._paused_until - self._clock())

    def has_room(self) -> bool:
        return self.in_flight < self.limit

    def start(self) -> None:
        self.in_flight += 1

    def finish(self) -> None:
        self.in_flight -= 1

    def ticket(self) -> int:
        """Taken before each attempt; given back to throttled()."""
        return self._epoch

    def throttled(self, ticket: int, wait: float) -> None:
        """An attempt sent under `ticket` was answered 429 or 503 (retry after `wait` s)."""
        self.throttled_total += 1
        self._successes = 0
        self._paused_until = max(self._paused_until, self._clock() + wait)
        if ticket == self._epoch:
            self.limit = max(1, self.limit // 2)
            self._epoch += 1

    def answered(self) -> None:
        """An attempt succeeded: after `limit` of them in a row, one more row may fly."""
        if self.limit >= self.maximum:
            return
        self._successes += 1
        if self._successes >= self.limit:
            self.limit += 1
            self._successes = 0


def throttle_wait(error: UsersAPIError, attempt: int = 1) -> float | None:
    """For a 429 or 503: the wait the server asked for (retry-after-ms or
    Retry-After, see _retries.retry_after; else the backoff after attempt number
    `attempt`), at most MAX_WAIT. None for other errors."""
    if not isinstance(error, APIStatusError) or error.status_code not in THROTTLE_STATUSES:
        return None
    asked = _retries.retry_after(error.response.headers)
    return min(_retries.backoff_delay(attempt) if asked is None else asked, MAX_WAIT)


def retry_for(
    error: UsersAPIError, attempt: int, max_attempts: int, transient: int | None = None
) -> float | None:
    """Seconds to wait before trying again after attempt number `attempt` (1
    for the first) failed with `error`; None when the error is final.
    `transient` counts this call's transient failures so far, this one
    included (default: every attempt was one); throttles do not use them up."""
    if attempt >= max_attempts:
        return None
    transient = attempt if transient is None else transient
    wait = throttle_wait(error, attempt)
    if wait is not None:
        return wait
    if isinstance(error, APIStatusError):
        if error.status_code not in TRANSIENT_STATUSES:
            return None  # 4xx: the row itself is wrong, sending it again would fail again
    elif not isinstance(error, APIConnectionError) or _retries.is_certificate_error(error):
        return None  # local input refused before sending, or a response outside the spec
    if transient > MAX_TRANSIENT_RETRIES:
        return None
    return _retries.backoff_delay(transient)
