"""A caller's own legacy httpx client (the escape hatch of _legacy_httpx.py).

The retry, error, client, users, pagination and secrets suites also run every
test on a legacy client (their `flavour` fixture); this module covers what is
particular to it: the warning, timeouts handed over, and what is refused.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import httpx2
import pytest

from unit.conftest import BASE_URL, TOKEN, json_response, legacy_handler, user_json
from users_sdk import (
    APIConnectionError,
    APITimeoutError,
    AsyncUsersClient,
    ConfigurationError,
    NotFoundError,
    UsersClient,
)


def legacy(handler: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(legacy_handler(handler)))


def test_a_legacy_client_works_with_a_warning_that_says_until_when_and_what_to_do() -> None:
    http = legacy(lambda request: json_response(200, user_json()))
    with pytest.warns(DeprecationWarning, match="legacy httpx") as caught:
        client = UsersClient(base_url=BASE_URL, token=TOKEN, http_client=http)
    (warning,) = caught
    message = str(warning.message)
    assert "legacy httpx.Client" in message
    assert "users-sdk 1.0" in message
    assert "httpx2.Client" in message
    assert warning.filename == __file__  # it points at the caller's line
    assert client.users.get("usr_0001").email == "ada@example.com"
    http.close()


def test_per_call_and_client_timeouts_reach_the_legacy_transport() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: Any) -> httpx2.Response:
        seen.append(request.extensions["timeout"])
        return json_response(200, user_json())

    http = legacy(handler)
    with pytest.warns(DeprecationWarning, match="legacy httpx"):
        client = UsersClient(base_url=BASE_URL, token=TOKEN, timeout=10.0, http_client=http)
    client.users.get("usr_0001")
    client.users.get("usr_0001", timeout=2.0)
    client.users.get("usr_0001", timeout=httpx.Timeout(3.0, connect=1.0))  # a legacy Timeout
    client.with_options(timeout=httpx2.Timeout(4.0)).users.get("usr_0001")
    assert seen == [
        {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 10.0},
        {"connect": 2.0, "read": 2.0, "write": 2.0, "pool": 2.0},
        {"connect": 1.0, "read": 3.0, "write": 3.0, "pool": 3.0},
        {"connect": 4.0, "read": 4.0, "write": 4.0, "pool": 4.0},
    ]
    http.close()


def test_a_legacy_timeout_is_an_api_timeout_error_after_the_retries() -> None:
    attempts: list[str] = []

    def handler(request: Any) -> httpx2.Response:
        attempts.append(request.headers["idempotency-key"])
        raise httpx2.ReadTimeout("timed out")

    http = legacy(handler)
    with pytest.warns(DeprecationWarning, match="legacy httpx"):
        client = UsersClient(base_url=BASE_URL, token=TOKEN, max_retries=2, http_client=http)
    client._sleep = lambda seconds: None
    with pytest.raises(APITimeoutError) as caught:
        client.users.create(email="ada@example.com")
    assert len(attempts) == 3
    assert len(set(attempts)) == 1  # one Idempotency-Key for the call and its retries
    assert isinstance(caught.value.__cause__, httpx2.ReadTimeout)
    assert isinstance(caught.value.__cause__.__cause__, httpx.ReadTimeout)  # kept
    http.close()


def test_the_api_key_is_hidden_in_the_repr_of_a_legacy_request() -> None:
    http = legacy(lambda request: json_response(404, {"title": "Not Found", "status": 404}))
    with pytest.warns(DeprecationWarning, match="legacy httpx"):
        client = UsersClient(base_url=BASE_URL, api_key="key_legacy_secret", http_client=http)
    with pytest.raises(NotFoundError) as caught:
        client.users.get("usr_0001")
    request = caught.value.response.request
    assert isinstance(request, httpx.Request)
    assert request.headers["x-api-key"] == "key_legacy_secret"  # still sent
    assert "key_legacy_secret" not in repr(request.headers)
    http.close()


def test_the_async_client_takes_a_legacy_async_client() -> None:
    async def main() -> str:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(legacy_handler(lambda r: json_response(200, user_json())))
        )
        with pytest.warns(DeprecationWarning, match="legacy httpx.AsyncClient"):
            client = AsyncUsersClient(base_url=BASE_URL, token=TOKEN, http_client=http)
        async with client:
            user = await client.users.get("usr_0001")
        await http.aclose()
        return user.email

    assert asyncio.run(main()) == "ada@example.com"


@pytest.mark.parametrize(
    ("cls", "http_client", "expected"),
    [
        (UsersClient, object(), "http_client must be an httpx2.Client"),
        (UsersClient, httpx2.AsyncClient(), "http_client must be an httpx2.Client"),
        (AsyncUsersClient, httpx2.Client(), "http_client must be an httpx2.AsyncClient"),
        (UsersClient, httpx.AsyncClient(), r"or a legacy httpx.Client\), not AsyncClient"),
        (AsyncUsersClient, httpx.Client(), r"or a legacy httpx.AsyncClient\), not Client"),
    ],
    ids=["not a client", "async for sync", "sync for async", "legacy async", "legacy sync"],
)
def test_anything_else_is_refused_with_a_configuration_error(
    cls: type[Any], http_client: object, expected: str
) -> None:
    with pytest.raises(ConfigurationError, match=expected):
        cls(base_url=BASE_URL, token=TOKEN, http_client=http_client)


def test_any_httpx_error_of_a_legacy_client_is_an_sdk_error() -> None:
    """Not only transport errors: a status error an event hook raises, too."""

    def raise_for_status(response: httpx.Response) -> None:
        response.raise_for_status()

    http = httpx.Client(
        transport=httpx.MockTransport(legacy_handler(lambda r: json_response(500, {}))),
        event_hooks={"response": [raise_for_status]},
    )
    with pytest.warns(DeprecationWarning, match="legacy httpx"):
        client = UsersClient(base_url=BASE_URL, token=TOKEN, max_retries=0, http_client=http)
    with pytest.raises(APIConnectionError, match="HTTPStatusError") as caught:
        client.users.get("usr_0001")
    assert isinstance(caught.value.__cause__.__cause__, httpx.HTTPStatusError)
    http.close()


def test_a_stream_error_is_an_sdk_error() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.StreamClosed()

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    client = UsersClient(base_url=BASE_URL, token=TOKEN, max_retries=0, http_client=http)
    with pytest.raises(APIConnectionError, match="StreamClosed"):
        client.users.get("usr_0001")
    http.close()
