"""A connection pool whose bookkeeping does not grow with concurrency.

httpcore 1.0's pool runs `_assign_requests_to_connections` twice per request
(when it is queued and when its response closes). Each run:

- compares *all* connections, not the idle ones, with
  `max_keepalive_connections`, so once more than 20 connections are open every
  connection that goes idle is closed and a new one is dialled;
- asks every connection `has_expired()`, which polls the socket of each idle
  one, and rebuilds the lists of available and idle connections once per
  queued request: quadratic in the number of connections;
- hands one idle HTTP/1.1 connection to several queued requests, which then
  fail with ConnectionNotAvailable and queue again.

With 50 requests in flight that bookkeeping took about 70% of the client's
CPU and capped AsyncUsersClient at 1.8x the speed of a sequential client
(benchmarks/README.md). The fix is upstream in encode/httpcore#1035 (open)
and pydantic/httpx2 #974 and #1075; until a release of httpcore has it, the
clients the SDK builds itself use the subclasses below, which override only
that method: one pass over the connections, one over the queue.

The subclasses rely on httpcore 1.0's internals, so `use_linear_pool` installs
them only on the exact stock pool classes of the httpcore releases they were
tested with, and leaves any other pool (a proxy, HTTP/2, another httpcore, a
caller's own client or transport) alone: those keep httpcore's own behaviour,
which is correct, just slower.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpcore
import httpx

__all__ = ["use_linear_pool"]


class _Connection(Protocol):
    def can_handle_request(self, origin: httpcore.Origin) -> bool: ...
    def has_expired(self) -> bool: ...
    def is_idle(self) -> bool: ...
    def is_closed(self) -> bool: ...


def _assign_requests(pool: Any) -> list[Any]:
    """httpcore's `_assign_requests_to_connections`, in linear time.

    Same contract: drops closed connections and closes expired ones, gives
    queued requests a connection (reuse, else open a new one, else replace an
    idle connection to another origin), closes idle connections beyond
    `max_keepalive_connections` (oldest first), and returns the connections
    the caller must close. Unlike httpcore 1.0.9:
    - a connection handed to a request that has not started on it yet counts
      as taken: it is neither closed nor handed out twice;
    - a connection no request holds that is neither idle nor closed is closed:
      it was opened for a request cancelled before it started to connect
      (encode/httpcore#1093), and would otherwise fill the pool for good;
    - idle connections are reused before the surplus is closed, not after.
    Only for pools of HTTP/1.1 connections (`use_linear_pool` checks).
    """
    taken = {id(request.connection) for request in pool._requests if not request.is_queued()}
    kept: list[_Connection] = []
    idle: list[_Connection] = []  # held by no request, oldest first
    closing: list[_Connection] = []
    for connection in pool._connections:
        if connection.is_closed():
            continue
        if id(connection) not in taken:
            if connection.has_expired() or not connection.is_idle():
                closing.append(connection)
                continue
            idle.append(connection)
        kept.append(connection)

    for request in [request for request in pool._requests if request.is_queued()]:
        origin = request.request.url.origin
        connection = next((c for c in idle if c.can_handle_request(origin)), None)
        if connection is not None:
            idle.remove(connection)
        elif len(kept) < pool._max_connections:
            connection = pool.create_connection(origin)
            kept.append(connection)
        elif idle:
            # The pool is full: make room by closing an idle connection to
            # another origin (one to this origin would have been reused).
            replaced = idle.pop(0)
            kept.remove(replaced)
            closing.append(replaced)
            connection = pool.create_connection(origin)
            kept.append(connection)
        else:
            break  # Full, nothing idle: no later request can be served either.
        request.assign_to_connection(connection)

    surplus = len(idle) - pool._max_keepalive_connections
    if surplus > 0:
        evicted = {id(connection) for connection in idle[:surplus]}
        closing.extend(idle[:surplus])
        kept = [connection for connection in kept if id(connection) not in evicted]

    pool._connections = kept
    return closing


class _LinearConnectionPool(httpcore.ConnectionPool):
    def _assign_requests_to_connections(self) -> list[httpcore.ConnectionInterface]:
        return _assign_requests(self)


class _LinearAsyncConnectionPool(httpcore.AsyncConnectionPool):
    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        return _assign_requests(self)


_LINEAR_POOLS: dict[type, type] = {
    httpcore.ConnectionPool: _LinearConnectionPool,
    httpcore.AsyncConnectionPool: _LinearAsyncConnectionPool,
}
# What `_assign_requests` reads and writes on a pool; checked before a swap.
_POOL_INTERNALS = ("_requests", "_connections", "_max_connections", "_max_keepalive_connections")
# The httpcore releases whose pool internals `_assign_requests` was checked
# against (tests/reliability/test_connection_pool.py runs on each). A later
# release may fix its pool itself: it keeps its own until it is checked here.
TESTED_HTTPCORE_VERSIONS = frozenset({"1.0.5", "1.0.7", "1.0.8", "1.0.9"})


def use_linear_pool(http_client: httpx.Client | httpx.AsyncClient) -> bool:
    """Give the client's direct (unproxied) transport the linear pool.

    Returns whether it did. Only for a client the SDK built itself: the pool
    keeps its settings (TLS, limits, keep-alive expiry), only its class changes.
    """
    if httpcore.__version__ not in TESTED_HTTPCORE_VERSIONS:
        return False
    pool = getattr(getattr(http_client, "_transport", None), "_pool", None)
    linear = _LINEAR_POOLS.get(type(pool))
    if linear is None or getattr(pool, "_http2", True):
        return False
    if not all(hasattr(pool, name) for name in _POOL_INTERNALS):
        return False
    pool.__class__ = linear
    return True
