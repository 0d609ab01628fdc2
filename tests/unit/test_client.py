"""Client configuration: environment, timeouts, with_options, raw responses."""

from __future__ import annotations

import warnings
from typing import Any

import certifi
import httpx2
import pytest

from users_sdk import (
    APIResponse,
    ConfigurationError,
    DefaultAsyncHttpxClient,
    DefaultHttpxClient,
    SyncPage,
    User,
    UsersClient,
)

from .conftest import BASE_URL, Recorder, json_response, user_json


@pytest.fixture(params=["httpx2", "httpx"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Every test here also runs on a caller's legacy httpx client (conftest.py)."""
    return str(request.param)


def test_reads_base_url_and_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERS_API_BASE_URL", "http://env.test/")
    monkeypatch.setenv("USERS_API_TOKEN", "env-token")
    monkeypatch.setenv("USERS_API_KEY", "env-key")
    recorder = Recorder(json_response(200, user_json()))
    client = UsersClient(http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)))
    client.users.me()
    request = recorder.requests[0]
    assert str(request.url) == "http://env.test/v1/users/me"
    assert request.headers["authorization"] == "Bearer env-token"
    assert "x-api-key" not in request.headers


def test_falls_back_to_the_api_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERS_API_BASE_URL", "http://env.test")
    monkeypatch.delenv("USERS_API_TOKEN", raising=False)
    monkeypatch.setenv("USERS_API_KEY", "env-key")
    recorder = Recorder(json_response(200, user_json()))
    UsersClient(http_client=httpx2.Client(transport=httpx2.MockTransport(recorder))).users.me()
    assert recorder.requests[0].headers["x-api-key"] == "env-key"


def test_explicit_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERS_API_TOKEN", "env-token")
    client = UsersClient(base_url="http://x.test", api_key="explicit-key")
    assert "api_key=" in repr(client)
    assert "token=" not in repr(client)
    client.close()


def test_a_base_url_with_a_path_prefix(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()))
    make_client(recorder, base_url="http://gw.test/users-api/").users.get("usr_1")
    assert str(recorder.requests[0].url) == "http://gw.test/users-api/v1/users/usr_1"


def test_default_timeout_is_30_seconds_with_5_to_connect(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()))
    client = make_client(recorder)
    client.users.me()
    assert recorder.requests[0].extensions["timeout"] == {
        "connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0,
    }  # fmt: skip


def test_timeout_per_client_and_per_call(make_client: Any) -> None:
    recorder = Recorder(*[json_response(200, user_json()) for _ in range(3)])
    client = make_client(recorder, timeout=10.0)
    client.users.me()
    client.users.me(timeout=2.0)
    client.users.me(timeout=httpx2.Timeout(1.0, read=9.0))
    timeouts = [r.extensions["timeout"] for r in recorder.requests]
    assert [(t["connect"], t["read"]) for t in timeouts] == [(5.0, 10.0), (2.0, 2.0), (1.0, 9.0)]


def test_timeout_applies_to_every_page_of_a_listing(make_client: Any) -> None:
    pages = [
        json_response(200, {"items": [], "limit": 1, "next_cursor": "c1", "previous_cursor": None}),
        json_response(200, {"items": [], "limit": 1, "next_cursor": None, "previous_cursor": "c0"}),
    ]
    recorder = Recorder(*pages)
    list(make_client(recorder).users.list(timeout=3.0))
    assert [r.extensions["timeout"]["read"] for r in recorder.requests] == [3.0, 3.0]


def test_with_options_shares_the_pool_and_overrides(make_client: Any, sleeps: list[float]) -> None:
    recorder = Recorder(
        json_response(503, {"type": "x", "title": "t", "status": 503}),
        json_response(200, user_json()),
    )
    client = make_client(recorder, headers={"X-Team": "core"})
    derived = client.with_options(timeout=4.0, max_retries=5, headers={"X-Trace": "1"})
    assert derived._http is client._http
    assert (derived.max_retries, derived.timeout.read, client.max_retries) == (5, 4.0, 2)
    derived.users.me()
    request = recorder.requests[-1]
    assert (request.headers["x-team"], request.headers["x-trace"]) == ("core", "1")
    assert request.extensions["timeout"]["read"] == 4.0
    derived.close()
    assert not client._http.is_closed  # the derived client does not own the pool


def test_context_manager_closes_the_pool() -> None:
    with UsersClient(base_url=BASE_URL, token="t") as client:
        http = client._http
    assert http.is_closed


def test_raw_response_gives_status_headers_and_request_id(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json(), etag='"1"'), httpx2.Response(204))
    users = make_client(recorder).users
    raw = users.with_raw_response.get("usr_0001")
    assert isinstance(raw, APIResponse)
    assert (raw.status_code, raw.headers["etag"], raw.request_id) == (200, '"1"', "req_unit_1")
    assert raw.retries_taken == 0
    user = raw.parse()
    assert isinstance(user, User)
    assert raw.parse() is user
    assert "req_unit_1" in repr(raw)
    deleted = users.with_raw_response.delete("usr_0001")
    assert deleted.status_code == 204
    assert deleted.parse() is None


def test_raw_response_of_a_listing_parses_to_a_page(make_client: Any) -> None:
    body = {"items": [user_json()], "limit": 20, "next_cursor": None, "previous_cursor": None}
    recorder = Recorder(json_response(200, body))
    raw = make_client(recorder).users.with_raw_response.list()
    page = raw.parse()
    assert isinstance(page, SyncPage)
    assert page.items[0].id == "usr_0001"


def test_raw_mode_ends_with_the_call(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json()), json_response(200, user_json()))
    users = make_client(recorder).users
    users.with_raw_response.me()
    assert isinstance(users.me(), User)


@pytest.mark.anyio
async def test_async_raw_response(make_async_client: Any) -> None:
    body = {"items": [], "limit": 20, "next_cursor": None, "previous_cursor": None}
    recorder = Recorder(json_response(200, user_json()), json_response(200, body))
    client = make_async_client(recorder)
    raw = await client.users.with_raw_response.get("usr_0001")
    assert raw.status_code == 200
    assert raw.parse().id == "usr_0001"
    raw_page = await client.users.with_raw_response.list()
    assert raw_page.parse().items == []


def test_a_closed_client_raises_an_sdk_error(make_client: Any) -> None:
    from users_sdk import ConfigurationError

    pages = [
        json_response(200, {"items": [], "limit": 1, "next_cursor": "c1", "previous_cursor": None}),
    ]
    http = httpx2.Client(transport=httpx2.MockTransport(Recorder(*pages)))
    with UsersClient(base_url=BASE_URL, token="t", http_client=http) as c:
        page = c.users.list(limit=1)
    http.close()
    with pytest.raises(ConfigurationError, match="is closed"):
        page.next_page()  # lazily, after the block: no bare httpx2 RuntimeError
    with pytest.raises(ConfigurationError, match="is closed"):
        c.users.me()


def test_verify_with_an_http_client_is_refused() -> None:
    from users_sdk import ConfigurationError

    with pytest.raises(ConfigurationError, match="verify= has no effect"):
        UsersClient(base_url=BASE_URL, token="t", verify=False, http_client=httpx2.Client())


def test_default_httpx_client_loads_a_ca_bundle_path_itself() -> None:
    """httpx2 0.28 warns on verify=<str>; the SDK's httpx2 clients load the
    bundle into an SSLContext instead, and name a bad path."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DefaultHttpxClient(verify=certifi.where()).close()
        DefaultAsyncHttpxClient(verify=certifi.where())
    with pytest.raises(ConfigurationError, match="no CA bundle could be loaded"):
        DefaultHttpxClient(verify="/no/such/bundle.pem")
    with pytest.raises(ConfigurationError, match="verify must be True, False or the path"):
        DefaultAsyncHttpxClient(verify=123)
