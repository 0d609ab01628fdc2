"""RetryPolicy: the statuses, the longest waits and a predicate, on the client and
with with_options; the defaults unchanged (409 is never retried)."""

from __future__ import annotations

import re
from typing import Any

import httpx2
import pytest

from users_sdk import (
    APIConnectionError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
)

from .conftest import Recorder, json_response, problem, user_json


def ok() -> httpx2.Response:
    return json_response(200, user_json())


def status(code: int, **headers: str) -> httpx2.Response:
    return json_response(code, problem(code), **headers)


def test_the_defaults_do_not_retry_a_conflict(make_client: Any) -> None:
    recorder = Recorder(status(409))
    with pytest.raises(ConflictError):
        make_client(recorder).users.create(email="taken@example.com")
    assert len(recorder.requests) == 1


def test_only_the_policys_statuses_are_retried(make_client: Any, sleeps: list[float]) -> None:
    policy = RetryPolicy(statuses={503})
    recorder = Recorder(status(503), status(500))
    with pytest.raises(InternalServerError):
        make_client(recorder, retry=policy).users.get("usr_0001")
    assert len(recorder.requests) == 2  # the 503 retried, the 500 not


def test_should_retry_decides_then_none_leaves_the_default(
    make_client: Any, sleeps: list[float]
) -> None:
    seen: list[tuple[str, int]] = []

    def decide(error: Exception, attempt: int) -> bool | None:
        seen.append((type(error).__name__, attempt))
        if isinstance(error, ConflictError):
            return True  # this application knows its 409s are transient
        return None

    recorder = Recorder(status(409), status(503), ok())
    make_client(recorder, retry=RetryPolicy(should_retry=decide)).users.get("usr_0001")
    assert seen == [("ConflictError", 1), ("InternalServerError", 2)]
    assert len(recorder.requests) == 3


def test_should_retry_false_stops_at_once_also_for_connection_errors(
    make_client: Any, sleeps: list[float]
) -> None:
    never = RetryPolicy(should_retry=lambda error, attempt: False)
    recorder = Recorder(httpx2.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        make_client(recorder, retry=never).users.get("usr_0001")
    assert len(recorder.requests) == 1


def test_max_retries_still_bounds_a_predicate_that_always_says_yes(
    make_client: Any, sleeps: list[float]
) -> None:
    always = RetryPolicy(should_retry=lambda error, attempt: True)
    recorder = Recorder(status(409), status(409), status(409))
    with pytest.raises(ConflictError):
        make_client(recorder, retry=always, max_retries=2).users.get("usr_0001")
    assert len(recorder.requests) == 3


def test_max_delay_caps_the_backoff(make_client: Any, sleeps: list[float]) -> None:
    recorder = Recorder(*(status(503) for _ in range(4)), ok())
    make_client(recorder, retry=RetryPolicy(max_delay=0.1), max_retries=4).users.get("usr_0001")
    assert len(sleeps) == 4
    assert all(0.075 <= wait <= 0.1 for wait in sleeps), sleeps


def test_max_retry_after_raises_at_once_past_it(make_client: Any, sleeps: list[float]) -> None:
    recorder = Recorder(status(429, **{"retry-after": "10"}))
    with pytest.raises(RateLimitError):
        make_client(recorder, retry=RetryPolicy(max_retry_after=5)).users.get("usr_0001")
    assert sleeps == []


def test_with_options_sets_a_policy_for_the_derived_client_only(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(status(503), ok(), status(503))
    client = make_client(recorder)
    client.users.get("usr_0001")  # the default policy retried the 503
    strict = client.with_options(retry=RetryPolicy(statuses=()))
    with pytest.raises(InternalServerError):
        strict.users.get("usr_0001")
    assert len(recorder.requests) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"statuses": {200}}, "HTTP statuses 400 to 599"),
        ({"max_delay": -1}, "max_delay=...) must be seconds"),
        ({"max_retry_after": float("nan")}, "max_retry_after=...) must be seconds"),
        ({"should_retry": "yes"}, "should_retry=...) must be a function"),
    ],
)
def test_a_bad_policy_is_refused_when_built(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        RetryPolicy(**options)


def test_retry_must_be_a_policy(make_client: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"retry must be a users_sdk\.RetryPolicy"):
        make_client(Recorder(), retry={"statuses": [503]})


def test_a_predicate_that_returns_something_else_is_named(
    make_client: Any, sleeps: list[float]
) -> None:
    recorder = Recorder(status(503))
    with pytest.raises(ConfigurationError, match="should_retry returned str"):
        make_client(recorder, retry=RetryPolicy(should_retry=lambda e, a: "yes")).users.get(
            "usr_0001"
        )
