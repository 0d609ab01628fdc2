"""The adaptive limit and the retry rules (users_sdk.bulk._limiter): pure, no server."""

from __future__ import annotations

import email.utils
import ssl
import time

import httpx2
import pytest

from users_sdk import APIConnectionError, InvalidArgumentError, UnexpectedResponseError
from users_sdk._error_mapping import error_for
from users_sdk.bulk._limiter import MAX_WAIT, AdaptiveLimit, retry_for, throttle_wait


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def status_error(status: int, **headers: str) -> Exception:
    request = httpx2.Request("POST", "http://users.test/v1/users")
    return error_for(httpx2.Response(status, headers=headers, request=request))


def connection_error(cause: BaseException | None = None) -> APIConnectionError:
    error = APIConnectionError("no answer", method="POST", url="http://users.test/v1/users")
    error.__cause__ = cause
    return error


def test_a_throttle_halves_the_limit_down_to_one() -> None:
    limit = AdaptiveLimit(8)
    for expected in (4, 2, 1, 1):
        limit.throttled(limit.ticket(), 0)
        assert limit.limit == expected
    assert limit.throttled_total == 4


def test_throttles_of_one_burst_shrink_it_once() -> None:
    limit = AdaptiveLimit(8)
    tickets = [limit.ticket() for _ in range(8)]  # eight rows sent under the limit 8
    for ticket in tickets:
        limit.throttled(ticket, 0)
    assert limit.limit == 4
    assert limit.throttled_total == 8
    limit.throttled(limit.ticket(), 0)  # a row sent under the new limit
    assert limit.limit == 2


def test_a_run_of_successes_adds_one_up_to_the_maximum() -> None:
    limit = AdaptiveLimit(4)
    limit.throttled(limit.ticket(), 0)
    limit.throttled(limit.ticket(), 0)
    assert limit.limit == 1
    grown = []
    for _ in range(12):
        limit.answered()
        grown.append(limit.limit)
    # +1 after 1 success at 1, after 2 at 2, after 3 at 3; never above 4.
    assert grown == [2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4]


def test_a_throttle_breaks_the_run_of_successes() -> None:
    limit = AdaptiveLimit(8)
    limit.throttled(limit.ticket(), 0)
    assert limit.limit == 4
    for _ in range(3):
        limit.answered()
    limit.throttled(limit.ticket(), 0)
    assert limit.limit == 2
    limit.answered()
    assert limit.limit == 2  # the earlier three no longer count


def test_a_throttle_pauses_new_rows_for_retry_after() -> None:
    clock = Clock()
    limit = AdaptiveLimit(8, clock=clock)
    assert limit.pause_left() == 0
    limit.throttled(limit.ticket(), 2.5)
    assert limit.pause_left() == 2.5
    clock.now += 2
    assert limit.pause_left() == pytest.approx(0.5)
    limit.throttled(0, 0.1)  # a shorter wait does not cut the pause short
    assert limit.pause_left() == pytest.approx(0.5)
    clock.now += 1
    assert limit.pause_left() == 0


def test_room_counts_the_rows_in_flight() -> None:
    limit = AdaptiveLimit(2)
    limit.start()
    assert limit.has_room()
    limit.start()
    assert not limit.has_room()
    limit.finish()
    assert limit.has_room()


@pytest.mark.parametrize("status", [429, 503])
def test_a_throttle_waits_retry_after_in_seconds(status: int) -> None:
    assert retry_for(status_error(status, **{"retry-after": "3"}), 1, 10) == 3.0


def test_a_throttle_waits_until_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    wait = retry_for(status_error(429, **{"retry-after": when}), 1, 10)
    assert wait is not None
    assert 3 < wait <= 5


def test_a_throttle_waits_retry_after_ms_first() -> None:
    error = status_error(429, **{"retry-after-ms": "1500", "retry-after": "9"})
    assert retry_for(error, 1, 10) == 1.5


def test_a_long_retry_after_is_capped() -> None:
    assert retry_for(status_error(429, **{"retry-after": "3600"}), 1, 10) == MAX_WAIT


def test_a_throttle_without_retry_after_backs_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert 0.375 <= (retry_for(status_error(429), 1, 10) or 0) <= 0.5
    assert 3 <= (retry_for(status_error(429), 5, 10) or 0) <= 8


def test_a_throttle_is_retried_until_the_last_attempt() -> None:
    error = status_error(429, **{"retry-after": "0"})
    assert [retry_for(error, attempt, 3) for attempt in (1, 2, 3)] == [0.0, 0.0, None]
    assert throttle_wait(error) == 0.0  # still a throttle for the limit


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_transient_statuses_are_retried_three_times(status: int) -> None:
    waits = [retry_for(status_error(status), attempt, 10) for attempt in (1, 2, 3, 4)]
    assert [wait is not None for wait in waits] == [True, True, True, False]
    assert throttle_wait(status_error(status)) is None  # the limit does not shrink


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 412, 413, 422])
def test_errors_of_the_row_are_final(status: int) -> None:
    assert retry_for(status_error(status), 1, 10) is None


def test_connection_errors_are_retried_three_times() -> None:
    waits = [retry_for(connection_error(), attempt, 10) for attempt in (1, 2, 3, 4)]
    assert [wait is not None for wait in waits] == [True, True, True, False]


def test_a_certificate_error_is_final() -> None:
    error = connection_error(ssl.SSLCertVerificationError("certificate verify failed"))
    assert retry_for(error, 1, 10) is None


def test_local_and_unexpected_errors_are_final() -> None:
    assert retry_for(InvalidArgumentError("bad"), 1, 10) is None
    response = httpx2.Response(200, request=httpx2.Request("POST", "http://users.test/v1/users"))
    assert retry_for(UnexpectedResponseError("html", response=response), 1, 10) is None


def test_throttles_do_not_use_up_the_transient_retries() -> None:
    # Attempt 6 of a row that met five 429s: its first 502 still gets its three retries.
    waits = [retry_for(status_error(502), 5 + n, 100, transient=n) for n in (1, 2, 3, 4)]
    assert all(wait is not None and wait > 0 for wait in waits[:3])
    assert waits[3] is None
