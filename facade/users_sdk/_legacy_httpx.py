"""The temporary escape hatch for a legacy `httpx` client passed as `http_client=`.

users-sdk runs on httpx2. An application still built on httpx (0.2x) can pass
its own `httpx.Client` or `httpx.AsyncClient` until users-sdk 1.0. It is
wrapped here so that the SDK's error handling sees httpx2 exceptions only:
each httpx exception becomes the httpx2 one of the same name (the original is
kept as `__cause__`), and the SDK's httpx2 timeouts are handed to it as httpx
timeouts, so errors, per-call timeouts, retries and idempotency keys behave as
with an httpx2 client. Its requests and responses stay httpx's own
(`error.response` is an `httpx.Response`, which has the same API). Type
checkers only accept httpx2 clients: this path is for code that has not moved yet.

users_sdk imports httpx only here, and only once a legacy client was passed:
such a client exists only where the application has imported httpx already.
"""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType
from typing import Any

import httpx2

from ._exceptions import ConfigurationError
from ._headers import masked_repr

__all__ = [
    "SUPPORTED_UNTIL",
    "LegacyAsyncClient",
    "LegacyClient",
    "as_httpx2_timeout",
    "is_legacy_client",
    "wrap",
    "wrap_async",
]

SUPPORTED_UNTIL = "users-sdk 1.0"


def is_legacy_client(http_client: object) -> bool:
    """An httpx (not httpx2) client, or a subclass of one."""
    return any(cls.__module__.split(".")[0] == "httpx" for cls in type(http_client).__mro__)


def as_httpx2_timeout(timeout: object) -> object:
    """A legacy `httpx.Timeout` as the httpx2.Timeout it stands for; anything
    else unchanged (the SDK checks it next)."""
    cls = type(timeout)
    if cls.__name__ == "Timeout" and cls.__module__.split(".")[0] == "httpx":
        return httpx2.Timeout(**timeout.as_dict())  # type: ignore[attr-defined]
    return timeout


def wrap(http_client: Any) -> LegacyClient:
    _check_kind(http_client, "Client")
    _warn("Client")
    return LegacyClient(http_client)


def wrap_async(http_client: Any) -> LegacyAsyncClient:
    _check_kind(http_client, "AsyncClient")
    _warn("AsyncClient")
    return LegacyAsyncClient(http_client)


def _check_kind(http_client: Any, kind: str) -> None:
    if not isinstance(http_client, getattr(importlib.import_module("httpx"), kind)):
        raise ConfigurationError(
            f"http_client must be an httpx2.{kind} (or a legacy httpx.{kind}), "
            f"not {type(http_client).__name__}"
        )


def _warn(kind: str) -> None:
    warnings.warn(
        f"users-sdk: http_client= is a legacy httpx.{kind}; it works until "
        f"{SUPPORTED_UNTIL}. Pass an httpx2.{kind} instead (or users_sdk.Default"
        f"{'Async' if kind == 'AsyncClient' else ''}Httpx2Client): the same arguments, "
        "after `import httpx2`.",
        DeprecationWarning,
        stacklevel=4,
    )


class _Legacy:
    """What both wrappers share: the httpx module of the client, and translation."""

    def __init__(self, http_client: Any) -> None:
        self._client = http_client
        self._httpx: ModuleType = importlib.import_module("httpx")
        plain = self._httpx.Headers
        # httpx's own Headers, with the repr that hides X-API-Key (as _headers.Headers).
        self._masked_headers = type(
            "Headers", (plain,), {"__repr__": lambda headers: masked_repr(headers, plain)}
        )

    @property
    def is_closed(self) -> bool:
        return bool(self._client.is_closed)

    def build_request(
        self, method: str, url: str, *, timeout: httpx2.Timeout, **kwargs: Any
    ) -> httpx2.Request:
        legacy_timeout = self._httpx.Timeout(**timeout.as_dict())
        try:
            request: httpx2.Request = self._client.build_request(
                method, url, timeout=legacy_timeout, **kwargs
            )
        except self._httpx.InvalidURL as error:
            raise httpx2.InvalidURL(str(error)) from error
        if "x-api-key" in request.headers:
            request.headers = self._masked_headers(request.headers)
        return request

    def _translated(self, error: Exception) -> httpx2.RequestError:
        """The httpx2 request error of the same name (or its nearest parent's);
        any other httpx error (a status error raised by an event hook, a stream
        error) is one the request could not complete with."""
        for cls in type(error).__mro__:
            counterpart = getattr(httpx2, cls.__name__, None)
            if isinstance(counterpart, type) and issubclass(counterpart, httpx2.RequestError):
                return counterpart(str(error))
        return httpx2.RequestError(f"{type(error).__name__}: {error}")


class LegacyClient(_Legacy):
    def send(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response: httpx2.Response = self._client.send(request)
        except (self._httpx.HTTPError, self._httpx.StreamError) as error:
            raise self._translated(error) from error
        return response

    def close(self) -> None:
        self._client.close()


class LegacyAsyncClient(_Legacy):
    async def send(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response: httpx2.Response = await self._client.send(request)
        except (self._httpx.HTTPError, self._httpx.StreamError) as error:
            raise self._translated(error) from error
        return response

    async def aclose(self) -> None:
        await self._client.aclose()
