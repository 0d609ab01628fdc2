"""When to retry, and how long to wait first.

Retried: connection errors, timeouts, and the statuses in RETRYABLE_STATUSES.
The wait is exponential with jitter (0.5 s, doubling, at most 8 s), unless the
server sent retry-after-ms (milliseconds) or Retry-After (seconds or an HTTP
date), which is honoured up to 60 s; a longer one is not waited for: the error
is raised with it at once.
"""

from __future__ import annotations

import datetime
import email.utils
import random
import re
import ssl

import httpx2

DEFAULT_MAX_RETRIES = 2
INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

# Exceptions after which the request may not have reached the server, or the
# answer was lost: safe to retry because every mutating call carries an
# Idempotency-Key. Errors in the request itself (a bad URL, a local protocol
# violation) would fail again, so they are not retried.
RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx2.TimeoutException,
    httpx2.NetworkError,
    httpx2.RemoteProtocolError,
)


def is_retryable_status(status_code: int) -> bool:
    return status_code in RETRYABLE_STATUSES


def is_retryable_exception(error: Exception) -> bool:
    """Whether a transport error may go away by itself. A TLS certificate that
    failed verification fails again: raised at once, not after the backoff."""
    return isinstance(error, RETRYABLE_EXCEPTIONS) and not is_certificate_error(error)


def is_certificate_error(error: BaseException) -> bool:
    """Whether a transport error comes from TLS certificate verification."""
    cause: BaseException | None = error
    for _ in range(10):  # httpx2 -> httpcore -> ssl; bounded, in case of a cycle
        if cause is None:
            return False
        if isinstance(cause, ssl.SSLCertVerificationError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def backoff_delay(
    retry_number: int, rng: random.Random | None = None, *, max_delay: float = MAX_DELAY
) -> float:
    """The wait before retry number `retry_number` (1 for the first retry).

    0.5 s, 1 s, 2 s, ... capped at 8 s, each reduced by up to 25% at random so
    that many clients do not retry in lockstep.
    """
    # The exponent is capped: 2.0 ** 1024 overflows, and 8 s is reached at 5 anyway.
    base: float = min(INITIAL_DELAY * 2.0 ** min(retry_number - 1, 16), max_delay)
    jitter: float = (rng or random).random() * 0.25
    return base * (1 - jitter)


def retry_after(headers: httpx2.Headers, now: datetime.datetime | None = None) -> float | None:
    """Seconds the server asked us to wait (0 or more); None if it did not say.

    `retry-after-ms` (milliseconds, a decimal number such as "1500" or "12.5";
    openai-python and Fern's SDKs read it too) comes first; when it is missing
    or not such a number (negative, "nan", a date), `Retry-After` (seconds or
    an HTTP date) is read instead.
    """
    milliseconds = _retry_after_ms(headers.get("retry-after-ms"))
    if milliseconds is not None:
        return min(milliseconds / 1000.0, 1e9)
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = (when - (now or datetime.datetime.now(datetime.UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), 1e9)  # inf would not fit a sleep


# Digits with an optional fraction: no sign, exponent, "nan", "inf" or "1_000",
# which float() would take.
_MILLISECONDS = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def _retry_after_ms(value: str | None) -> float | None:
    """A retry-after-ms value as milliseconds; None if missing or not one."""
    if value is None:
        return None
    value = value.strip()
    if not _MILLISECONDS.fullmatch(value):
        return None
    return float(value)  # 400 digits make inf, which retry_after caps


def wait_before_retry(
    retry_number: int,
    response: httpx2.Response,
    *,
    max_delay: float = MAX_DELAY,
    max_retry_after: float = MAX_RETRY_AFTER,
) -> float | None:
    """The wait before retrying after `response`: its retry-after-ms or
    Retry-After (see retry_after), else the backoff.

    None when the server asks for more than MAX_RETRY_AFTER: waiting that long
    inside a call would look like a hang, so the error is raised at once and
    carries the real wait (RateLimitError.retry_after).
    """
    asked = retry_after(response.headers)
    if asked is None:
        return backoff_delay(retry_number, max_delay=max_delay)
    return asked if asked <= max_retry_after else None
