"""What users get from the connection pool (httpx2's own), on real sockets.

A threaded HTTP/1.1 keep-alive server on loopback counts the connections it
accepts, closes, and the requests it serves at once. Under load the SDK's
clients must reuse connections, stay within their limits, survive
cancellation, and replace connections the server dropped. Only behaviour is
checked, never the pool's internals.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import httpx2
import pytest
from unit.conftest import user_json

from users_sdk import AsyncUsersClient, DefaultAsyncHttpx2Client, DefaultHttpx2Client, UsersClient

TOKEN = "pool-token"


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


class _CountingServer(ThreadingHTTPServer):
    state: PoolServer

    def shutdown_request(self, request: Any) -> None:
        # Counted once the socket is really shut: counted in the handler's finish(),
        # a client could send its next request on a connection about to close
        # (it did, on a loaded machine) and meet a RemoteProtocolError.
        super().shutdown_request(request)
        with self.state.lock:
            self.state.closed += 1


@contextmanager
def pool_server(delay: float = 0.0, drop_after_response: bool = False) -> Iterator[PoolServer]:
    httpd = _CountingServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 256
    state = PoolServer(
        url=f"http://127.0.0.1:{httpd.server_address[1]}",
        delay=delay,
        drop_after_response=drop_after_response,
    )
    httpd.state = state
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


async def _in_flight(count: int, calls: int, call: Any) -> None:
    remaining = iter(range(calls))

    async def worker() -> None:
        for index in remaining:
            await call(index)

    async with anyio.create_task_group() as group:
        for _ in range(count):
            group.start_soon(worker)


def _getter(raw: httpx2.AsyncClient) -> Callable[[int], Awaitable[None]]:
    async def get(index: int) -> None:
        (await raw.get(f"/v1/users/usr_{index:04d}")).raise_for_status()

    return get


def _wait_until(condition: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        time.sleep(0.005)


def _open(server: PoolServer) -> int:
    with server.lock:
        return server.connections - server.closed


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
        assert server.connections <= 50


@pytest.mark.anyio
async def test_limits_hold_and_idle_connections_beyond_keepalive_are_closed() -> None:
    with pool_server(delay=0.01) as server:
        limits = httpx2.Limits(max_connections=5, max_keepalive_connections=2)
        async with (
            DefaultAsyncHttpx2Client(limits=limits) as http,
            AsyncUsersClient(base_url=server.url, token=TOKEN, http_client=http) as client,
        ):

            async def get(index: int) -> None:
                await client.users.get(f"usr_{index:04d}")

            await _in_flight(30, 120, get)
            assert 2 <= server.most_in_flight <= 5  # overlapping, within the limit
            assert server.connections <= 5 + 3  # reused, not redialled per request
            await anyio.to_thread.run_sync(lambda: _wait_until(lambda: _open(server) <= 2))


@pytest.mark.anyio
async def test_cancelled_requests_give_their_connections_back() -> None:
    with pool_server(delay=0.3) as server:
        limits = httpx2.Limits(max_connections=4, max_keepalive_connections=4)
        async with (
            DefaultAsyncHttpx2Client(limits=limits) as http,
            AsyncUsersClient(base_url=server.url, token=TOKEN, http_client=http) as client,
        ):
            with anyio.move_on_after(0.1):  # 4 running, 16 queued: all cancelled
                await _in_flight(20, 20, lambda index: client.users.get(f"usr_{index:04d}"))
            assert server.most_in_flight == 4  # the limit held while they waited
            server.delay = 0.0
            with anyio.fail_after(5):
                users = [
                    await client.users.get(f"usr_{index:04d}", timeout=httpx2.Timeout(5, pool=1))
                    for index in range(8)
                ]
            assert [user.id for user in users] == [f"usr_{index:04d}" for index in range(8)]


@pytest.mark.anyio
@pytest.mark.parametrize("yields", [0, 1, 2, 3, 5, 8, 13])
async def test_a_request_cancelled_at_any_point_does_not_poison_the_pool(yields: int) -> None:
    """encode/httpcore#1093: httpcore 1.0.9's pool kept a connection whose
    request was cancelled before it connected as 'connecting' for good, and
    every later request waited for the pool. Cancelled after 0 to 13 turns of
    the event loop, a connecting and a queued request leave a one-connection
    pool usable."""
    with pool_server() as server:
        limits = httpx2.Limits(max_connections=1, max_keepalive_connections=1)
        async with (
            DefaultAsyncHttpx2Client(limits=limits) as http,
            AsyncUsersClient(base_url=server.url, token=TOKEN, http_client=http) as client,
        ):
            connecting = asyncio.create_task(client.users.get("usr_0001"))
            queued = asyncio.create_task(client.users.get("usr_0002"))
            for _ in range(yields):
                await asyncio.sleep(0)
            connecting.cancel()
            queued.cancel()
            await asyncio.gather(connecting, queued, return_exceptions=True)
            timeout = httpx2.Timeout(5.0, pool=1.0)
            assert (await client.users.get("usr_0009", timeout=timeout)).id == "usr_0009"


def test_a_connection_the_server_dropped_while_idle_is_replaced() -> None:
    with pool_server(drop_after_response=True) as server:
        with UsersClient(base_url=server.url, token=TOKEN, max_retries=0) as client:
            for index in range(5):
                assert client.users.get(f"usr_{index:04d}").id == f"usr_{index:04d}"
                _wait_until(lambda done=index + 1: server.closed == done)  # it hung up
        assert server.connections == 5


def test_a_full_pool_replaces_an_idle_connection_to_another_origin() -> None:
    with pool_server() as first, pool_server() as second:
        limits = httpx2.Limits(max_connections=1, max_keepalive_connections=1)
        with DefaultHttpx2Client(limits=limits) as http:
            for server, user_id in ((first, "usr_0001"), (second, "usr_0002")):
                with UsersClient(base_url=server.url, token=TOKEN, http_client=http) as client:
                    assert client.users.get(user_id).id == user_id
            _wait_until(lambda: first.closed == 1)  # the idle one was closed to make room
            assert (first.connections, second.connections, _open(second)) == (1, 1, 1)


def test_threads_share_one_sync_client() -> None:
    with pool_server(delay=0.005) as server:
        with (
            UsersClient(base_url=server.url, token=TOKEN) as client,
            ThreadPoolExecutor(max_workers=16) as threads,
        ):
            ids = list(threads.map(lambda i: client.users.get(f"usr_{i:04d}").id, range(160)))
        assert ids == [f"usr_{index:04d}" for index in range(160)]
        assert server.most_in_flight > 4
        assert server.connections <= 16


@pytest.mark.anyio
async def test_default_httpx2_clients_keep_your_arguments() -> None:
    limits = httpx2.Limits(max_connections=7, max_keepalive_connections=3)
    with pool_server(delay=0.005) as server:
        hooks: list[str] = []

        async def hook(request: httpx2.Request) -> None:
            hooks.append(request.url.path)

        async with (
            DefaultAsyncHttpx2Client(limits=limits, event_hooks={"request": [hook]}) as http,
            AsyncUsersClient(base_url=server.url, token=TOKEN, http_client=http) as client,
        ):

            async def get(index: int) -> None:
                await client.users.get(f"usr_{index:04d}")

            await _in_flight(20, 60, get)
        assert len(hooks) == 60
        assert 2 <= server.most_in_flight <= 7  # overlapping, within the limit
        assert server.connections <= 7 + 3


def test_a_legacy_httpx_client_on_real_sockets() -> None:
    """A caller's own httpx client (the legacy path) over real connections:
    answers, reuse, and a refused connection as the SDK's own error."""
    import httpx

    from users_sdk import APIConnectionError

    with pool_server() as server, httpx.Client() as http:
        with pytest.warns(DeprecationWarning, match="legacy httpx"):
            client = UsersClient(base_url=server.url, token=TOKEN, http_client=http)
        assert [client.users.get(f"usr_{i:04d}").id for i in range(5)] == [
            f"usr_{i:04d}" for i in range(5)
        ]
        assert server.connections == 1
        url = server.url
    with httpx.Client() as http:  # the server is gone: nothing listens there now
        with pytest.warns(DeprecationWarning, match="legacy httpx"):
            client = UsersClient(base_url=url, token=TOKEN, max_retries=0, http_client=http)
        with pytest.raises(APIConnectionError, match="got no response"):
            client.users.get("usr_0001")
