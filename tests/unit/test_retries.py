"""Retry rules, Retry-After, backoff and idempotency keys."""

from __future__ import annotations

import datetime
import email.utils
import logging
import random
from typing import Any

import httpx2
import pytest

from users_sdk import (
    APIConnectionError,
    APIStatusError,
    ConflictError,
    InternalServerError,
    RateLimitError,
    _retries,
)

from .conftest import Recorder, json_response, problem, user_json


@pytest.fixture(params=["httpx2", "httpx"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Every test here also runs on a caller's legacy httpx client (conftest.py)."""
    return str(request.param)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried_then_succeed(
    make_client: Any, sleeps: list[float], status: int
) -> None:
    recorder = Recorder(json_response(status, problem(status)), json_response(200, user_json()))
    user = make_client(recorder).users.get("usr_0001")
    assert user.id == "usr_0001"
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 412, 422, 501])
def test_other_statuses_are_not_retried(make_client: Any, sleeps: list[float], status: int) -> None:
    recorder = Recorder(json_response(status, problem(status)))
    with pytest.raises(APIStatusError):
        make_client(recorder).users.get("usr_0001")
    assert len(recorder.requests) == 1
    assert sleeps == []


def test_gives_up_after_max_retries_with_the_last_error(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(*[json_response(503, problem(503, f"attempt {n}")) for n in range(4)])
    with pytest.raises(InternalServerError, match="attempt 3"):
        make_client(recorder, max_retries=3).users.get("usr_0001")
    assert len(recorder.requests) == 4
    assert len(sleeps) == 3


def test_max_retries_zero_sends_once(make_client: Any) -> None:
    recorder = Recorder(json_response(503, problem(503)))
    with pytest.raises(InternalServerError):
        make_client(recorder, max_retries=0).users.get("usr_0001")
    assert len(recorder.requests) == 1


def test_default_is_two_retries(make_client: Any) -> None:
    recorder = Recorder(
        httpx2.ConnectError("down"), httpx2.ReadError("cut"), httpx2.ConnectError("x")
    )
    with pytest.raises(APIConnectionError):
        make_client(recorder).users.me()
    assert len(recorder.requests) == 3


def test_retry_after_in_seconds_is_honoured(make_client: Any, sleeps: list[float]) -> None:
    recorder = Recorder(
        json_response(429, problem(429), **{"retry-after": "3"}), json_response(200, user_json())
    )
    make_client(recorder).users.me()
    assert sleeps == [3.0]


def test_retry_after_as_an_http_date_is_honoured(make_client: Any, sleeps: list[float]) -> None:
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=10)
    date = email.utils.format_datetime(when, usegmt=True)
    recorder = Recorder(
        json_response(503, problem(503), **{"retry-after": date}), json_response(200, user_json())
    )
    make_client(recorder).users.me()
    assert 8.0 <= sleeps[0] <= 10.0


def test_a_retry_after_beyond_60_seconds_is_raised_at_once(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(json_response(429, problem(429), **{"retry-after": "3600"}))
    with pytest.raises(RateLimitError) as caught:
        make_client(recorder).users.me()
    assert caught.value.retry_after == 3600.0  # the real wait, for the caller to schedule
    assert sleeps == []
    assert len(recorder.requests) == 1


def test_retry_after_of_exactly_60_seconds_is_waited_for(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(
        json_response(503, problem(503), **{"retry-after": "60"}), json_response(200, user_json())
    )
    make_client(recorder).users.me()
    assert sleeps == [60.0]


def test_retry_after_ms_is_the_wait_asked_of_the_client(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(
        json_response(429, problem(429), **{"retry-after-ms": "1500", "retry-after": "9"}),
        json_response(503, problem(503), **{"retry-after-ms": "nan", "retry-after": "2"}),
        json_response(200, user_json()),
    )
    make_client(recorder).users.me()
    assert sleeps == [1.5, 2.0]  # the milliseconds first; Retry-After when they are invalid


def test_a_retry_after_ms_beyond_60_seconds_is_raised_at_once(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(json_response(429, problem(429), **{"retry-after-ms": "90000"}))
    with pytest.raises(RateLimitError) as caught:
        make_client(recorder).users.me()
    assert caught.value.retry_after == 90.0
    assert sleeps == []
    assert len(recorder.requests) == 1


@pytest.mark.anyio
async def test_the_async_client_waits_retry_after_ms(
    make_async_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(
        json_response(503, problem(503), **{"retry-after-ms": "250"}),
        json_response(200, user_json()),
    )
    await make_async_client(recorder).users.me()
    assert sleeps == [0.25]


def test_a_huge_max_retries_does_not_overflow_the_backoff() -> None:
    assert _retries.backoff_delay(5000) <= _retries.MAX_DELAY


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0.0), ("-5", 0.0), ("1.5", 1.5), ("soon", None), ("nan", None), ("", None)],
)
def test_retry_after_parsing(value: str, expected: float | None) -> None:
    assert _retries.retry_after(httpx2.Headers({"retry-after": value})) == expected


def test_retry_after_http_date_in_the_past_means_now() -> None:
    past = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert _retries.retry_after(httpx2.Headers({"retry-after": past})) == 0.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1500", 1.5), ("12.5", 0.0125), (" 250 ", 0.25), ("0", 0.0), (".5", 0.0005),
        ("5.", 0.005), ("9" * 400, 1e9),
    ],
)  # fmt: skip
def test_retry_after_ms_parsing(value: str, expected: float) -> None:
    assert _retries.retry_after(httpx2.Headers({"retry-after-ms": value})) == expected


def test_retry_after_ms_comes_before_retry_after() -> None:
    headers = httpx2.Headers({"retry-after-ms": "1500", "retry-after": "9"})
    assert _retries.retry_after(headers) == 1.5


@pytest.mark.parametrize(
    "value", ["", "soon", "-5", "+5", "nan", "inf", "1e3", "1_000", "1,5", "0x10"]
)
def test_an_invalid_retry_after_ms_falls_back_to_retry_after(value: str) -> None:
    assert _retries.retry_after(httpx2.Headers({"retry-after-ms": value})) is None
    both = httpx2.Headers({"retry-after-ms": value, "retry-after": "9"})
    assert _retries.retry_after(both) == 9.0


def test_retry_after_ms_is_capped_like_retry_after() -> None:
    at_cap = httpx2.Response(503, headers={"retry-after-ms": "60000"})
    beyond = httpx2.Response(503, headers={"retry-after-ms": "60000.5", "retry-after": "1"})
    assert _retries.wait_before_retry(1, at_cap) == 60.0
    assert _retries.wait_before_retry(1, beyond) is None  # raised at once, not Retry-After's 1 s


def test_an_invalid_retry_after_ms_alone_means_the_backoff() -> None:
    response = httpx2.Response(503, headers={"retry-after-ms": "soon"})
    wait = _retries.wait_before_retry(1, response)
    assert wait is not None
    assert 0.375 <= wait <= 0.5


def test_backoff_doubles_from_half_a_second_with_jitter_and_a_cap() -> None:
    no_jitter = random.Random()
    no_jitter.random = lambda: 0.0  # type: ignore[method-assign]
    assert [_retries.backoff_delay(n, no_jitter) for n in range(1, 7)] == [
        0.5, 1.0, 2.0, 4.0, 8.0, 8.0,
    ]  # fmt: skip
    full_jitter = random.Random()
    full_jitter.random = lambda: 1.0  # type: ignore[method-assign]
    assert _retries.backoff_delay(1, full_jitter) == 0.375
    delays = {_retries.backoff_delay(2) for _ in range(50)}
    assert all(0.75 <= d <= 1.0 for d in delays)
    assert len(delays) > 1


def test_backoff_is_used_without_retry_after(make_client: Any, sleeps: list[float]) -> None:
    recorder = Recorder(
        json_response(503, problem(503)),
        json_response(503, problem(503)),
        json_response(200, user_json()),
    )
    make_client(recorder).users.me()
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


def test_a_retried_create_reuses_its_idempotency_key(make_client: Any) -> None:
    recorder = Recorder(
        httpx2.ReadError("response lost"),
        json_response(503, problem(503)),
        json_response(201, user_json()),
    )
    make_client(recorder).users.create(email="ada@example.com")
    keys = {r.headers["idempotency-key"] for r in recorder.requests}
    assert len(recorder.requests) == 3
    assert len(keys) == 1
    assert len(keys.pop()) == 36  # a UUID


def test_each_call_gets_its_own_idempotency_key(make_client: Any) -> None:
    recorder = Recorder(
        json_response(201, user_json()),
        json_response(201, user_json()),
        json_response(200, user_json()),
        httpx2.Response(204),
    )
    users = make_client(recorder).users
    users.create(email="a@example.com")
    users.create(email="b@example.com")
    users.update("usr_0001", department="x")
    users.delete("usr_0001")
    keys = [r.headers["idempotency-key"] for r in recorder.requests]
    assert len(set(keys)) == 4


def test_a_caller_given_idempotency_key_is_sent(make_client: Any) -> None:
    recorder = Recorder(json_response(409, problem(409)))
    with pytest.raises(ConflictError):
        make_client(recorder).users.create(email="a@example.com", idempotency_key="import-42")
    assert recorder.requests[0].headers["idempotency-key"] == "import-42"


def test_reads_carry_no_idempotency_key(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()))
    make_client(recorder).users.get("usr_0001")
    assert "idempotency-key" not in recorder.requests[0].headers


def test_each_retry_is_logged(make_client: Any, caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder(
        json_response(429, problem(429), **{"retry-after": "1"}),
        httpx2.ConnectError("refused"),
        json_response(200, user_json()),
    )
    with caplog.at_level(logging.INFO, logger="users_sdk"):
        make_client(recorder).users.get("usr_0001")
    retries = [r.getMessage() for r in caplog.records if r.name == "users_sdk"]
    assert retries == [
        "Retrying GET /v1/users/usr_0001 in 1.00 s (retry 1 of 2) after status 429",
        retries[1],
    ]
    assert retries[1].startswith("Retrying GET /v1/users/usr_0001 in ")
    assert retries[1].endswith("(retry 2 of 2) after ConnectError")


def test_rate_limit_after_all_retries_reports_retry_after(make_client: Any) -> None:
    responses = [json_response(429, problem(429), **{"retry-after": "2"}) for _ in range(3)]
    with pytest.raises(RateLimitError) as caught:
        make_client(Recorder(*responses)).users.me()
    assert caught.value.retry_after == 2.0


@pytest.mark.anyio
async def test_async_client_retries_with_the_same_key(
    make_async_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(
        httpx2.ConnectTimeout("slow"),
        json_response(502, problem(502)),
        json_response(201, user_json()),
    )
    client = make_async_client(recorder)
    user = await client.users.create(email="ada@example.com")
    assert user.id == "usr_0001"
    assert len({r.headers["idempotency-key"] for r in recorder.requests}) == 1
    assert len(sleeps) == 2
