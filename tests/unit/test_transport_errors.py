"""A request that got no response says what failed, which limit was hit, and
how many attempts were made (users_sdk._transport_errors)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from users_sdk import APIConnectionError, APITimeoutError

from .conftest import Recorder, json_response, user_json


@pytest.fixture(params=["httpx2", "httpx"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Also on a caller's legacy httpx client, whose timeouts are translated (conftest.py)."""
    return str(request.param)


TIMEOUT = httpx2.Timeout(4.0, connect=1.5)

PHASES = [
    (httpx2.ConnectTimeout, "no connection was made within the connect timeout of 1.5 s",
     "check that http://users.test is reachable, or raise the connect timeout "
     "(e.g. timeout=httpx2.Timeout(connect=3, read=4, write=4, pool=4))"),
    (httpx2.ReadTimeout, "the server sent nothing within the read timeout of 4 s",
     "the server may be slow or overloaded: check it, or raise the read timeout "
     "(e.g. timeout=httpx2.Timeout(connect=1.5, read=8, write=4, pool=4))"),
    (httpx2.WriteTimeout, "the request could not be sent within the write timeout of 4 s",
     "raise the write timeout (e.g. timeout=httpx2.Timeout(connect=1.5, read=4, write=8, pool=4))"),
    (httpx2.PoolTimeout, "no connection of the pool was free within the pool timeout of 4 s",
     "make fewer at once, pass an http_client with larger httpx2.Limits, or raise the pool "
     "timeout (e.g. timeout=httpx2.Timeout(connect=1.5, read=4, write=4, pool=8))"),
]  # fmt: skip


@pytest.mark.parametrize(("exception", "what", "advice"), PHASES)
def test_a_timeout_names_its_phase_its_limit_and_the_attempts(
    make_client: Any, exception: type[Exception], what: str, advice: str
) -> None:
    recorder = Recorder(*[exception("timed out")] * 3)
    with pytest.raises(APITimeoutError) as caught:
        make_client(recorder).users.me(timeout=TIMEOUT)  # the call's limits, not the client's
    message = str(caught.value)
    name = exception.__name__
    assert message.startswith(
        f"GET /v1/users/me timed out: {what} ({name}: timed out), after 3 attempts (2 retries); "
    ), message
    assert message.endswith(advice), message
    assert caught.value.attempts == 3
    assert len(recorder.requests) == 3


@pytest.mark.parametrize(("exception", "what", "advice"), PHASES)
def test_an_empty_cause_is_named_not_printed(
    make_client: Any, exception: type[Exception], what: str, advice: str
) -> None:
    # What trio gives: its TooSlowError has no text, nor has httpx2's timeout then.
    recorder = Recorder(exception(""))
    with pytest.raises(APITimeoutError) as caught:
        make_client(recorder, timeout=TIMEOUT, max_retries=0).users.me()
    message = str(caught.value)
    assert f"{what} ({exception.__name__}), after 1 attempt (no retry); " in message
    for empty in ("()", ": )", ":)"):
        assert empty not in message


@pytest.mark.anyio
async def test_the_async_client_says_the_same(make_async_client: Any) -> None:
    recorder = Recorder(httpx2.ReadTimeout(""), httpx2.ReadTimeout(""))
    client = make_async_client(recorder, max_retries=1)
    with pytest.raises(APITimeoutError) as caught:
        await client.users.get("usr_1", timeout=2.5)
    assert str(caught.value).startswith(
        "GET /v1/users/usr_1 timed out: the server sent nothing within the read timeout of "
        "2.5 s (ReadTimeout), after 2 attempts (1 retry); "
    )
    assert caught.value.attempts == 2


def test_a_timeout_then_a_success_raises_nothing(make_client: Any) -> None:
    recorder = Recorder(httpx2.ReadTimeout(""), json_response(200, user_json()))
    assert make_client(recorder).users.me().email == "ada@example.com"


def test_a_connection_error_counts_its_attempts_too(make_client: Any) -> None:
    recorder = Recorder(httpx2.ConnectError(""), httpx2.ConnectError("connection refused"))
    with pytest.raises(APIConnectionError) as caught:
        make_client(recorder, max_retries=1).users.me()
    assert type(caught.value) is APIConnectionError
    assert str(caught.value) == (
        "GET /v1/users/me got no response (ConnectError: connection refused), after 2 attempts "
        "(1 retry); check that http://users.test is reachable"
    )


def test_an_error_not_retried_says_it_was_tried_once(make_client: Any) -> None:
    recorder = Recorder(httpx2.UnsupportedProtocol(""))
    with pytest.raises(APIConnectionError) as caught:
        make_client(recorder).users.me()
    assert "(UnsupportedProtocol), after 1 attempt (no retry); " in str(caught.value)
    assert caught.value.attempts == 1


def test_middleware_sees_each_attempt_and_the_caller_the_count(make_client: Any) -> None:
    seen: list[APIConnectionError] = []

    def watch(request: httpx2.Request, call_next: Any, context: Any) -> httpx2.Response:
        try:
            response: httpx2.Response = call_next(request)
        except APIConnectionError as error:
            seen.append(error)
            raise
        return response

    recorder = Recorder(httpx2.ReadTimeout(""), httpx2.ReadTimeout(""))
    with pytest.raises(APITimeoutError) as caught:
        make_client(recorder, max_retries=1, middleware=[watch]).users.me()
    assert [error.attempts for error in seen] == [None, 2]  # the last one is the one raised
    assert seen[-1] is caught.value
    assert "after" not in str(seen[0])
