"""Middleware: your functions around every attempt of a call.

    def timing(request, call_next, context):
        started = time.perf_counter()
        response = call_next(request)
        print(context.operation, context.attempt, response.status_code,
              time.perf_counter() - started)
        return response

    client = UsersClient(middleware=[timing])      # async: `async def`, `await call_next(...)`

Each middleware runs once per attempt, inside the retry loop, in the order
given: the first is the outermost. `request` is the httpx2.Request about to be
sent (change its headers if you like); `call_next(request)` sends it through
the rest and returns the httpx2.Response, whatever its status: the client
turns it into a value or an error after the middleware returned. When no
response comes, `call_next` raises the SDK's own APIConnectionError or
APITimeoutError; anything your own code raises propagates unchanged.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeAlias

import httpx2

from ._exceptions import ConfigurationError

__all__ = ["AsyncChain", "Middleware", "RequestContext", "SyncChain", "checked_middleware"]

Middleware: TypeAlias = Callable[..., Any]


class RequestContext:
    """What a middleware knows of the attempt besides the request."""

    __slots__ = (
        "attempt",
        "idempotency_key",
        "method",
        "operation",
        "operation_id",
        "url_template",
    )

    def __init__(
        self,
        *,
        operation: str,
        operation_id: str | None,
        method: str,
        url_template: str,
        attempt: int,
        idempotency_key: str | None,
    ) -> None:
        self.operation: str = operation  # as users call it: "users.create"
        self.operation_id: str | None = operation_id  # the operationId; None for client.request()
        self.method: str = method
        self.url_template: str = url_template  # "/v1/users/{user_id}": no ids, no query
        self.attempt: int = attempt  # 1 for the first
        self.idempotency_key: str | None = idempotency_key  # the same on every attempt of a call

    def __repr__(self) -> str:
        return (
            f"RequestContext(operation={self.operation!r}, attempt={self.attempt}, "
            f"idempotency_key={self.idempotency_key!r})"
        )


def checked_middleware(middleware: object) -> tuple[Middleware, ...]:
    if middleware is None:
        return ()
    if isinstance(middleware, str | bytes) or not isinstance(middleware, Sequence):
        raise ConfigurationError(
            f"middleware must be a list of functions, not {type(middleware).__name__}"
        )
    for entry in middleware:
        if not callable(entry):
            raise ConfigurationError(
                f"each middleware must be a function (request, call_next, context), "
                f"not {type(entry).__name__}"
            )
    return tuple(middleware)


def _name(entry: Middleware) -> str:
    return getattr(entry, "__qualname__", None) or type(entry).__qualname__


def _checked_response(entry: Middleware, value: object) -> httpx2.Response:
    if not isinstance(value, httpx2.Response):
        raise ConfigurationError(
            f"middleware {_name(entry)} returned {type(value).__name__}, not an httpx2.Response: "
            "return what call_next(request) returned (or a response of your own)"
        )
    return value


class SyncChain:
    """The middleware of one attempt, ending in `send`."""

    __slots__ = ("context", "middleware", "send")

    def __init__(
        self,
        middleware: Sequence[Middleware],
        send: Callable[[httpx2.Request], httpx2.Response],
        context: RequestContext,
    ) -> None:
        self.middleware, self.send, self.context = middleware, send, context

    def run(self, index: int, request: httpx2.Request) -> httpx2.Response:
        if index == len(self.middleware):
            return self.send(request)
        entry = self.middleware[index]
        return _checked_response(entry, entry(request, _SyncNext(self, index + 1), self.context))


class _SyncNext:
    """`call_next` for the middleware at `index - 1`: the rest of the chain."""

    __slots__ = ("chain", "index")

    def __init__(self, chain: SyncChain, index: int) -> None:
        self.chain, self.index = chain, index

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        return self.chain.run(self.index, request)


class AsyncChain:
    """The async twin of SyncChain: what each middleware returns is awaited."""

    __slots__ = ("context", "middleware", "send")

    def __init__(
        self,
        middleware: Sequence[Middleware],
        send: Callable[[httpx2.Request], Awaitable[httpx2.Response]],
        context: RequestContext,
    ) -> None:
        self.middleware, self.send, self.context = middleware, send, context

    async def run(self, index: int, request: httpx2.Request) -> httpx2.Response:
        if index == len(self.middleware):
            return await self.send(request)
        entry = self.middleware[index]
        result = entry(request, _AsyncNext(self, index + 1), self.context)
        if inspect.isawaitable(result):
            result = await result  # an async middleware, or a plain one returning call_next(...)
        return _checked_response(entry, result)


class _AsyncNext:
    __slots__ = ("chain", "index")

    def __init__(self, chain: AsyncChain, index: int) -> None:
        self.chain, self.index = chain, index

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        return await self.chain.run(self.index, request)
