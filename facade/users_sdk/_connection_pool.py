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
them only on the exact stock pool classes of httpcore 1.0.x and leaves any
other pool (a proxy, HTTP/2, a newer httpcore, a caller's own client) alone:
those keep httpcore's own behaviour, which is correct, just slower.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpcore
import httpx

__all__ = ["use_linear_pool"]


class _Connection(Protocol):
    def can_handle_request(self, origin: httpcore.Origin) -> bool: ...
    def is_available(self) -> bool: ...
    def has_expired(self) -> bool: ...
    def is_idle(self) -> bool: ...
    def is_closed(self) -> bool: ...


def _assign_requests(pool: Any) -> list[Any]:
    """httpcore's `_assign_requests_to_connections`, in linear time.

    Same contract: drops closed connections, closes expired ones and idle ones
    beyond `max_keepalive_connections` (oldest first), gives queued requests a
    connection (reuse, else open a new one, else replace an idle connection to
    another origin), and returns the connections the caller must close.
    Unlike httpcore 1.0, a connection already handed to a request that has not
    started on it yet counts as taken: it is neither closed nor handed out twice.
    """
    taken = {id(request.connection) for request in pool._requests if not request.is_queued()}
    kept: list[_Connection] = []
    idle: list[_Connection] = []
    closing: list[_Connection] = []
    for connection in pool._connections:
        if connection.is_closed():
            continue
        if id(connection) not in taken:
            if connection.has_expired():
                closing.append(connection)
                continue
            if connection.is_idle():
                idle.append(connection)
        kept.append(connection)

    surplus = len(idle) - pool._max_keepalive_connections
    if surplus > 0:
        evicted, idle = idle[:surplus], idle[surplus:]
        closing.extend(evicted)
        evicted_ids = {id(connection) for connection in evicted}
        kept = [connection for connection in kept if id(connection) not in evicted_ids]

    queued = [request for request in pool._requests if request.is_queued()]
    available = [connection for connection in idle if connection.is_available()]
    for request in queued:
        origin = request.request.url.origin
        connection = next((c for c in available if c.can_handle_request(origin)), None)
        if connection is not None:
            available.remove(connection)
        elif len(kept) < pool._max_connections:
            connection = pool.create_connection(origin)
            kept.append(connection)
        elif available:
            # The pool is full: make room by closing an idle connection that
            # serves another origin.
            replaced = available.pop(0)
            kept.remove(replaced)
            closing.append(replaced)
            connection = pool.create_connection(origin)
            kept.append(connection)
        else:
            break  # Full, nothing idle: no later request can be served either.
        request.assign_to_connection(connection)

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


def use_linear_pool(http_client: httpx.Client | httpx.AsyncClient) -> bool:
    """Give the client's direct (unproxied) transport the linear pool.

    Returns whether it did. Only for a client the SDK built itself: the pool
    keeps its settings (TLS, limits, keep-alive expiry), only its class changes.
    """
    if not httpcore.__version__.startswith("1.0."):
        return False
    pool = getattr(getattr(http_client, "_transport", None), "_pool", None)
    linear = _LINEAR_POOLS.get(type(pool))
    if linear is None or getattr(pool, "_http2", True):
        return False
    if not all(hasattr(pool, name) for name in _POOL_INTERNALS):
        return False
    pool.__class__ = linear
    return True
