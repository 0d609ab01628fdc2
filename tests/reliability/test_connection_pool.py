"""The linear connection pool (users_sdk/_connection_pool.py) on real sockets.

A threaded HTTP/1.1 keep-alive server on loopback counts the connections it
accepts and the requests it serves at once. Under load the SDK's clients must
reuse connections (httpcore 1.0's stock pool closes and redials most of them:
the control test shows it, so the count means something), stay within their
limits, survive cancellation, and replace connections the server dropped.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import httpcore
import httpx
import pytest
from unit.conftest import user_json

from users_sdk import AsyncUsersClient, DefaultAsyncHttpxClient, DefaultHttpxClient, UsersClient
from users_sdk._connection_pool import TESTED_HTTPCORE_VERSIONS, use_linear_pool

TOKEN = "pool-token"
LINEAR_EXPECTED = httpcore.__version__ in TESTED_HTTPCORE_VERSIONS


@dataclass
class PoolServer:
    url: str
    delay: float = 0.0
    drop_after_response: bool = False
    connections: int = 0
    closed: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: Any

    def setup(self) -> None:
        super().setup()
        state: PoolServer = self.server.state
        with state.lock:
            state.connections += 1

    def finish(self) -> None:
        super().finish()
        state: PoolServer = self.server.state
        with state.lock:
            state.closed += 1

    def do_GET(self) -> None:
        state: PoolServer = self.server.state
        with state.lock:
            state.in_flight += 1
            state.most_in_flight = max(state.most_in_flight, state.in_flight)
        try:
            time.sleep(state.delay)
            body = json.dumps(user_json(id=self.path.rsplit("/", 1)[-1])).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            # Hang up after answering, without saying so: the client finds out
            # only when it looks at the idle connection again.
            self.close_connection = state.drop_after_response
        finally:
            with state.lock:
                state.in_flight -= 1

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def pool_server(delay: float = 0.0, drop_after_response: bool = False) -> Iterator[PoolServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 256
    state = PoolServer(
        url=f"http://127.0.0.1:{httpd.server_address[1]}",
        delay=delay,
        drop_after_response=drop_after_response,
    )
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def _pool(http_client: httpx.Client | httpx.AsyncClient) -> Any:
    return http_client._transport._pool  # type: ignore[union-attr]


async def _in_flight(count: int, calls: int, call: Any) -> None:
    remaining = iter(range(calls))

    async def worker() -> None:
        for index in remaining:
            await call(index)

    async with anyio.create_task_group() as group:
        for _ in range(count):
            group.start_soon(worker)


def _getter(raw: httpx.AsyncClient) -> Callable[[int], Awaitable[None]]:
    async def get(index: int) -> None:
        (await raw.get(f"/v1/users/usr_{index:04d}")).raise_for_status()

    return get


def test_the_clients_the_sdk_builds_get_the_linear_pool_on_a_tested_httpcore() -> None:
    with UsersClient(base_url="http://127.0.0.1:9", token=TOKEN) as client:
        sync_pool = type(_pool(client._http)).__name__
    async_client = AsyncUsersClient(base_url="http://127.0.0.1:9", token=TOKEN)
    async_pool = type(_pool(async_client._http)).__name__
    anyio.run(async_client.close)
    if LINEAR_EXPECTED:
        assert (sync_pool, async_pool) == ("_LinearConnectionPool", "_LinearAsyncConnectionPool")
    else:  # another httpcore: its own pool, untouched (correct, maybe slower)
        assert (sync_pool, async_pool) == ("ConnectionPool", "AsyncConnectionPool")


def test_pools_it_does_not_know_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    mock = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    proxied = httpx.Client(transport=httpx.HTTPTransport(proxy="http://127.0.0.1:9"))
    own_transport = httpx.HTTPTransport()
    with mock, proxied, DefaultHttpxClient(transport=own_transport) as given:
        assert use_linear_pool(mock) is False
        assert use_linear_pool(proxied) is False  # an httpcore.HTTPProxy
        assert type(_pool(given)) is httpcore.ConnectionPool  # a transport you pass is yours
    http2_pool = httpx.Client()
    http2_pool._transport._pool._http2 = True  # type: ignore[attr-defined]
    with http2_pool:
        assert use_linear_pool(http2_pool) is False
    with httpx.Client() as plain:
        monkeypatch.setattr(httpcore, "__version__", "1.0.10")  # not checked yet
        assert use_linear_pool(plain) is False
        assert type(_pool(plain)) is httpcore.ConnectionPool


@pytest.mark.anyio
async def test_fifty_in_flight_reuse_their_connections() -> None:
    """200 calls, 50 at a time: no more than 50 connections, all kept alive."""
    with pool_server(delay=0.05) as server:
        async with AsyncUsersClient(base_url=server.url, token=TOKEN) as client:
            seen: list[str] = []

            async def get(index: int) -> None:
                seen.append((await client.users.get(f"usr_{index:04d}")).id)

            await _in_flight(50, 200, get)
        assert sorted(seen) == [f"usr_{index:04d}" for index in range(200)]
        assert server.most_in_flight > 10, "the calls did not overlap; the test proves nothing"
        if LINEAR_EXPECTED:
            assert server.connections <= 50


@pytest.mark.anyio
@pytest.mark.skipif(
    httpcore.__version__ != "1.0.9", reason="the control measures httpcore 1.0.9's own pool"
)
@pytest.mark.skipif(
    sys.flags.dev_mode,
    reason="under python -X dev the slower client keeps few connections open at once, "
    "and httpcore's pool happened to dial only 50: the control would prove nothing",
)
async def test_control_httpcore_stock_pool_redials_under_the_same_load() -> None:
    """The same load through a stock httpx.AsyncClient with the SDK's limits
    dials far more than 50 connections: the bound above is not trivially met."""
    with pool_server(delay=0.05) as server:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        async with httpx.AsyncClient(base_url=server.url, limits=limits) as raw:
            await _in_flight(50, 200, _getter(raw))
        assert server.connections > 50


@pytest.mark.anyio
async def test_limits_hold_and_idle_connections_beyond_keepalive_are_closed() -> None:
    with pool_server(delay=0.01) as server:
        limits = httpx.Limits(max_connections=5, max_keepalive_connections=2)
        async with httpx.AsyncClient(base_url=server.url, limits=limits) as raw:
            assert use_linear_pool(raw) is LINEAR_EXPECTED
            await _in_flight(30, 120, _getter(raw))
            assert 2 <= server.most_in_flight <= 5  # overlapping, within the limit
            if LINEAR_EXPECTED:  # httpcore 1.0.9's own pool redials nearly every time
                assert server.connections <= 5 + 3
            idle = [connection for connection in _pool(raw).connections if connection.is_idle()]
            assert len(idle) <= 2


@pytest.mark.anyio
async def test_cancelled_requests_give_their_connections_back() -> None:
    with pool_server(delay=0.3) as server:
        limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
        async with httpx.AsyncClient(base_url=server.url, limits=limits) as raw:
            assert use_linear_pool(raw) is LINEAR_EXPECTED
            with anyio.move_on_after(0.1):  # 4 running, 16 queued: all cancelled
                await _in_flight(20, 20, lambda index: raw.get(f"/v1/users/usr_{index:04d}"))
            server.delay = 0.0
            with anyio.fail_after(5):
                answers = [await raw.get(f"/v1/users/usr_{index:04d}") for index in range(8)]
            assert [answer.status_code for answer in answers] == [200] * 8
            assert "0 queued" in repr(_pool(raw))
            assert len(_pool(raw).connections) <= 4


def test_a_connection_the_server_dropped_while_idle_is_replaced() -> None:
    with pool_server(drop_after_response=True) as server:
        with UsersClient(base_url=server.url, token=TOKEN, max_retries=0) as client:
            for index in range(5):
                assert client.users.get(f"usr_{index:04d}").id == f"usr_{index:04d}"
                _wait_until(lambda done=index + 1: server.closed == done)  # it hung up
        assert server.connections == 5


def _wait_until(condition: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        time.sleep(0.005)


@pytest.mark.anyio
@pytest.mark.skipif(not LINEAR_EXPECTED, reason="this httpcore keeps its own pool")
async def test_a_request_cancelled_before_it_connected_does_not_fill_the_pool() -> None:
    """encode/httpcore#1093: httpcore 1.0.9's pool keeps such a connection as
    'connecting' for good, and every later request waits for the pool."""
    with pool_server() as server:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=server.url, limits=limits) as raw:
            assert use_linear_pool(raw) is LINEAR_EXPECTED
            connecting = asyncio.create_task(raw.get("/v1/users/usr_0001"))
            queued = asyncio.create_task(raw.get("/v1/users/usr_0002"))
            for _ in range(1000):  # until both are in the pool
                if len(_pool(raw)._requests) == 2:
                    break
                await asyncio.sleep(0)
            # Cancelled in this order, the first one's clean-up hands the queued
            # request a new connection, which its own cancellation then abandons.
            connecting.cancel()
            queued.cancel()
            await asyncio.gather(connecting, queued, return_exceptions=True)
            answer = await raw.get("/v1/users/usr_0009", timeout=httpx.Timeout(5.0, pool=1.0))
            assert answer.status_code == 200


def test_a_full_pool_replaces_an_idle_connection_to_another_origin() -> None:
    with pool_server() as first, pool_server() as second:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        with httpx.Client(limits=limits) as raw:
            assert use_linear_pool(raw) is LINEAR_EXPECTED
            assert raw.get(f"{first.url}/v1/users/usr_0001").status_code == 200
            assert raw.get(f"{second.url}/v1/users/usr_0002").status_code == 200
            origins = [connection._origin for connection in _pool(raw).connections]
            assert [str(origin) for origin in origins] == [second.url]


def test_threads_share_one_sync_client() -> None:
    with pool_server(delay=0.005) as server:
        with (
            UsersClient(base_url=server.url, token=TOKEN) as client,
            ThreadPoolExecutor(max_workers=16) as threads,
        ):
            ids = list(threads.map(lambda i: client.users.get(f"usr_{i:04d}").id, range(160)))
        assert ids == [f"usr_{index:04d}" for index in range(160)]
        assert server.most_in_flight > 4
        if LINEAR_EXPECTED:
            assert server.connections <= 16


@pytest.mark.anyio
async def test_default_httpx_clients_keep_the_sdk_pool_with_your_arguments() -> None:
    limits = httpx.Limits(max_connections=7, max_keepalive_connections=3)
    with pool_server(delay=0.005) as server:
        hooks: list[str] = []

        async def hook(request: httpx.Request) -> None:
            hooks.append(request.url.path)

        async with (
            DefaultAsyncHttpxClient(limits=limits, event_hooks={"request": [hook]}) as http,
            AsyncUsersClient(base_url=server.url, token=TOKEN, http_client=http) as client,
        ):
            pool = _pool(http)
            assert (pool._max_connections, pool._max_keepalive_connections) == (7, 3)
            linear = type(pool).__name__ == "_LinearAsyncConnectionPool"
            assert linear is LINEAR_EXPECTED

            async def get(index: int) -> None:
                await client.users.get(f"usr_{index:04d}")

            await _in_flight(20, 60, get)
        assert len(hooks) == 60
        assert 2 <= server.most_in_flight <= 7  # overlapping, within the limit
    with DefaultHttpxClient() as sync_http:
        pool = _pool(sync_http)
        assert (pool._max_connections, pool._max_keepalive_connections) == (100, 20)
        assert (type(pool).__name__ == "_LinearConnectionPool") is LINEAR_EXPECTED
