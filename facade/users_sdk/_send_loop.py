"""Each client's send loop: attempts, retries where safe, the 401 refresh of a
provided credential, then the parsed answer or the SDK error.

The sync and async loops are twins written out twice (as the clients are);
one attempt is `_attempt`, the retry decision `BaseClient._next_retry_delay`.
They live here, not in `_client.py`, to keep the clients' module about the
clients' surface (constructors, with_options, request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._attempt import attempt, attempt_async
from ._base_client import _Attempts
from ._exceptions import APIConnectionError
from ._transport_errors import gave_up

if TYPE_CHECKING:
    import httpx2

    from ._client import AsyncUsersClient, UsersClient
    from ._prepare import PreparedRequest
    from ._tracing import OperationTrace

__all__ = ["send_with_retries", "send_with_retries_async"]


def send_with_retries(
    client: UsersClient,
    request: httpx2.Request,
    prepared: PreparedRequest,
    trace: OperationTrace | None,
) -> Any:
    attempts = _Attempts(client._max_retries_for(prepared))
    credential = client._settings.credential
    while True:
        if not credential.is_fixed:
            attempts.credential = attempts.refreshed or credential.current()
            request.headers[credential.header] = credential.header_value(attempts.credential)
        attempts.number += 1
        try:
            response = attempt(client, request, prepared, attempts.number, trace)
        except APIConnectionError as error:
            delay = client._next_retry_delay(request, attempts, error=error)
            if delay is None:
                gave_up(error, attempts.number)
                raise
        else:
            if client._refresh_after_401(response, attempts):
                attempts.refreshed = credential.current()
                if attempts.refreshed != attempts.credential:
                    response.close()
                    continue
            delay = client._next_retry_delay(request, attempts, response=response)
            if delay is None:
                return client._finish(response, prepared, attempts.number - 1)
            response.close()
        attempts.refreshed = None
        attempts.retries += 1
        client._sleep(delay)


async def send_with_retries_async(
    client: AsyncUsersClient,
    request: httpx2.Request,
    prepared: PreparedRequest,
    trace: OperationTrace | None,
) -> Any:
    """The async twin of `send_with_retries`."""
    attempts = _Attempts(client._max_retries_for(prepared))
    credential = client._settings.credential
    while True:
        if not credential.is_fixed:
            attempts.credential = attempts.refreshed or await credential.current_async()
            request.headers[credential.header] = credential.header_value(attempts.credential)
        attempts.number += 1
        try:
            response = await attempt_async(client, request, prepared, attempts.number, trace)
        except APIConnectionError as error:
            delay = client._next_retry_delay(request, attempts, error=error)
            if delay is None:
                gave_up(error, attempts.number)
                raise
        else:
            if client._refresh_after_401(response, attempts):
                attempts.refreshed = await credential.current_async()
                if attempts.refreshed != attempts.credential:
                    await response.aclose()
                    continue
            delay = client._next_retry_delay(request, attempts, response=response)
            if delay is None:
                return client._finish(response, prepared, attempts.number - 1)
            await response.aclose()
        attempts.refreshed = None
        attempts.retries += 1
        await client._sleep(delay)
