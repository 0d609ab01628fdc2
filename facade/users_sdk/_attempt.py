"""One attempt of a call, as both clients' send loops make it: a span of its own
when tracing is on (`_tracing`), the middleware in order (`_middleware`), then
the transport, whose failures become the SDK's APIConnectionError here, so that
middleware sees SDK errors."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import httpx2

from ._middleware import AsyncChain, SyncChain

if TYPE_CHECKING:
    from ._client import AsyncUsersClient, UsersClient
    from ._prepare import PreparedRequest
    from ._tracing import OperationTrace

__all__ = ["attempt", "attempt_async"]


def _send(client: UsersClient, request: httpx2.Request) -> httpx2.Response:
    try:
        return client._http.send(request)
    except (httpx2.HTTPError, httpx2.StreamError) as error:
        raise client._transport_error(error, request) from error


async def _send_async(client: AsyncUsersClient, request: httpx2.Request) -> httpx2.Response:
    try:
        return await client._http.send(request)
    except (httpx2.HTTPError, httpx2.StreamError) as error:
        raise client._transport_error(error, request) from error


def _through_middleware(
    client: UsersClient, request: httpx2.Request, prepared: PreparedRequest, number: int
) -> httpx2.Response:
    middleware = client._settings.middleware
    if not middleware:
        return _send(client, request)
    context = client._context(request, prepared, number)
    return SyncChain(middleware, partial(_send, client), context).run(0, request)


async def _through_middleware_async(
    client: AsyncUsersClient, request: httpx2.Request, prepared: PreparedRequest, number: int
) -> httpx2.Response:
    middleware = client._settings.middleware
    if not middleware:
        return await _send_async(client, request)
    context = client._context(request, prepared, number)
    return await AsyncChain(middleware, partial(_send_async, client), context).run(0, request)


def attempt(
    client: UsersClient,
    request: httpx2.Request,
    prepared: PreparedRequest,
    number: int,
    trace: OperationTrace | None,
) -> httpx2.Response:
    """Attempt `number` (1 for the first) of `request`."""
    if trace is None:
        return _through_middleware(client, request, prepared, number)
    with trace.attempt(request, number) as span:
        response = _through_middleware(client, request, prepared, number)
        span.response(response)
        return response


async def attempt_async(
    client: AsyncUsersClient,
    request: httpx2.Request,
    prepared: PreparedRequest,
    number: int,
    trace: OperationTrace | None,
) -> httpx2.Response:
    """The async twin of `attempt`."""
    if trace is None:
        return await _through_middleware_async(client, request, prepared, number)
    with trace.attempt(request, number) as span:
        response = await _through_middleware_async(client, request, prepared, number)
        span.response(response)
        return response
