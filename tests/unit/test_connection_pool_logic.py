"""The linear pool's assignment pass (`_assign_requests`), without sockets.

Fake connections and queued requests with the interface httpcore's pool uses;
tests/reliability/test_connection_pool.py runs the same code on real sockets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import httpcore

from users_sdk._connection_pool import _assign_requests

ORIGIN_A = httpcore.URL("http://a.test/").origin
ORIGIN_B = httpcore.URL("http://b.test/").origin


@dataclass(eq=False)
class FakeConnection:
    name: str
    origin: httpcore.Origin = field(default_factory=lambda: ORIGIN_A)
    idle: bool = True
    closed: bool = False
    expired: bool = False

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self.origin

    def is_available(self) -> bool:
        return self.idle and not self.closed

    def is_idle(self) -> bool:
        return self.idle

    def is_closed(self) -> bool:
        return self.closed

    def has_expired(self) -> bool:
        return self.expired


@dataclass(eq=False)
class FakeRequest:
    origin: httpcore.Origin = field(default_factory=lambda: ORIGIN_A)
    connection: Any = None
    request: Any = field(init=False)

    def __post_init__(self) -> None:
        self.request = SimpleNamespace(url=SimpleNamespace(origin=self.origin))

    def is_queued(self) -> bool:
        return self.connection is None

    def assign_to_connection(self, connection: Any) -> None:
        self.connection = connection


def make_pool(
    connections: list[FakeConnection],
    requests: list[FakeRequest],
    max_connections: int = 10,
    max_keepalive: int = 10,
) -> Any:
    created: list[FakeConnection] = []

    def create_connection(origin: httpcore.Origin) -> FakeConnection:
        connection = FakeConnection(f"new{len(created)}", origin, idle=False)
        created.append(connection)
        return connection

    return SimpleNamespace(
        _connections=list(connections),
        _requests=requests,
        _max_connections=max_connections,
        _max_keepalive_connections=max_keepalive,
        create_connection=create_connection,
        created=created,
    )


def names(connections: list[Any]) -> list[str]:
    return [connection.name for connection in connections]


def test_one_idle_connection_goes_to_exactly_one_queued_request() -> None:
    idle = FakeConnection("idle")
    requests = [FakeRequest(), FakeRequest(), FakeRequest()]
    pool = make_pool([idle], requests, max_connections=1)
    assert _assign_requests(pool) == []
    assert [request.connection for request in requests] == [idle, None, None]
    assert pool.created == []


def test_a_connection_handed_to_a_request_not_started_yet_is_not_closed_or_reused() -> None:
    reserved = FakeConnection("reserved")  # idle: its request has not started on it
    holder = FakeRequest(connection=reserved)
    waiting = FakeRequest()
    pool = make_pool([reserved], [holder, waiting], max_connections=1, max_keepalive=0)
    assert _assign_requests(pool) == []
    assert waiting.connection is None
    assert names(pool._connections) == ["reserved"]


def test_expired_connections_are_closed_and_closed_ones_dropped() -> None:
    expired = FakeConnection("expired", expired=True)
    closed = FakeConnection("closed", closed=True)
    fine = FakeConnection("fine")
    pool = make_pool([expired, closed, fine], [])
    assert names(_assign_requests(pool)) == ["expired"]
    assert names(pool._connections) == ["fine"]


def test_idle_connections_beyond_keepalive_are_closed_oldest_first() -> None:
    idle = [FakeConnection(f"idle{index}") for index in range(4)]
    pool = make_pool(idle, [], max_keepalive=2)
    assert names(_assign_requests(pool)) == ["idle0", "idle1"]
    assert names(pool._connections) == ["idle2", "idle3"]


def test_idle_connections_are_reused_before_the_surplus_is_closed() -> None:
    idle = [FakeConnection(f"idle{index}") for index in range(3)]
    requests = [FakeRequest(), FakeRequest()]
    pool = make_pool(idle, requests, max_keepalive=1)
    assert _assign_requests(pool) == []
    assert names([request.connection for request in requests]) == ["idle0", "idle1"]
    assert pool.created == []


def test_a_full_pool_with_nothing_idle_leaves_the_queue_waiting() -> None:
    busy = [FakeConnection(f"busy{index}", idle=False) for index in range(2)]
    holders = [FakeRequest(connection=connection) for connection in busy]
    waiting = [FakeRequest(), FakeRequest(ORIGIN_B)]
    pool = make_pool(busy, holders + waiting, max_connections=2)
    assert _assign_requests(pool) == []
    assert [request.connection for request in waiting] == [None, None]
    assert pool.created == []


def test_a_full_pool_replaces_an_idle_connection_to_another_origin() -> None:
    other = FakeConnection("other", ORIGIN_B)
    request = FakeRequest(ORIGIN_A)
    pool = make_pool([other], [request], max_connections=1)
    assert names(_assign_requests(pool)) == ["other"]
    assert request.connection is pool.created[0]
    assert pool._connections == pool.created


def test_new_connections_are_opened_up_to_the_limit() -> None:
    requests = [FakeRequest() for _ in range(3)]
    pool = make_pool([], requests, max_connections=2)
    assert _assign_requests(pool) == []
    assert names([request.connection for request in requests[:2]]) == ["new0", "new1"]
    assert requests[2].connection is None
    assert pool._connections == pool.created


def test_a_connection_no_request_holds_that_is_not_idle_is_closed() -> None:
    """Opened for a request cancelled before it started to connect: without
    this it stays 'connecting' in the pool for good (encode/httpcore#1093)."""
    orphan = FakeConnection("orphan", idle=False)
    request = FakeRequest()
    pool = make_pool([orphan], [request], max_connections=1)
    assert names(_assign_requests(pool)) == ["orphan"]
    assert request.connection is pool.created[0]
