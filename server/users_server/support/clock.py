"""Clocks, and the one way instants are stored and written.

The server never calls `datetime.now()` directly: it asks a clock, so that the
deterministic mode can replay a recording to the byte and tests can jump past
an expiry without sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

DETERMINISTIC_START = datetime(2026, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, for reads (expiry checks); it does not move the clock."""
        ...

    def tick(self) -> datetime:
        """The instant of a write."""
        ...

    def advance(self, seconds: float) -> None:
        """Jump forward (tests and `POST /_test/clock`)."""
        ...

    def reset(self) -> None:
        """Back to the initial instant (`POST /_test/reset`)."""
        ...


class SystemClock:
    """Real time, plus an offset that tests can push forward."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def tick(self) -> datetime:
        return self.now()

    def advance(self, seconds: float) -> None:
        self._offset += timedelta(seconds=seconds)

    def reset(self) -> None:
        self._offset = timedelta()


class SteppingClock:
    """A fixed clock that moves exactly `step` per write, so recordings are byte-stable."""

    def __init__(self, start: datetime = DETERMINISTIC_START, step: float = 1.0) -> None:
        self._start = start
        self._step = timedelta(seconds=step)
        self._current = start

    def now(self) -> datetime:
        return self._current

    def tick(self) -> datetime:
        instant = self._current
        self._current += self._step
        return instant

    def advance(self, seconds: float) -> None:
        self._current += timedelta(seconds=seconds)

    def reset(self) -> None:
        self._current = self._start


def to_micros(instant: datetime) -> int:
    """Instants are stored as integer microseconds: exact, and they sort as numbers."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return (instant - _EPOCH) // timedelta(microseconds=1)


def format_instant(micros: int) -> str:
    """RFC 3339 in UTC with `Z`; the fraction only when there is one."""
    instant = _EPOCH + timedelta(microseconds=micros)
    if instant.microsecond:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> int | None:
    """An RFC 3339 date-time as micros, or None when it is not one (naive means UTC)."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        return None
    # A date alone is not a date-time.
    if "T" not in text.upper() and " " not in text:
        return None
    try:
        return to_micros(instant)
    except OverflowError:
        # e.g. 9999-12-31T23:59:59-23:59, past datetime.max once in UTC.
        return None
