"""The httpx clients the SDK makes, for `http_client=` when you need your own.

    from users_sdk import DefaultHttpxClient, UsersClient

    client = UsersClient(http_client=DefaultHttpxClient(proxy="http://proxy.internal:3128"))

A plain `httpx.Client` works too; these add the SDK's defaults: its connection
limits and its connection pool (users_sdk/_connection_pool.py), whose cost does
not grow with the number of requests in flight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from . import _lazy
from ._config import tls_verify

__all__ = ["DEFAULT_CONNECTION_LIMITS", "DefaultAsyncHttpxClient", "DefaultHttpxClient"]

DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


def _use_linear_pool(http_client: httpx.Client | httpx.AsyncClient) -> None:
    # Loaded on first use: it imports httpcore, which httpx itself imports only
    # when a client is built, so `import users_sdk` stays as cheap as `import httpx`.
    _lazy.connection_pool.use_linear_pool(http_client)


class _SDKDefaults:
    """What both Default*HttpxClient add to httpx's client (mixed in before it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
        if "verify" in kwargs:
            # Checked and loaded as the SDK's own clients do: a bad value is a
            # ConfigurationError, and a CA bundle path becomes an SSLContext
            # (httpx 0.28 deprecates verify=<str> with a warning).
            kwargs["verify"] = tls_verify(kwargs["verify"])
        super().__init__(**kwargs)
        if kwargs.get("transport") is None:  # a transport you pass stays as it is
            _use_linear_pool(self)  # type: ignore[arg-type]


if TYPE_CHECKING:
    # Type checkers see httpx's own signatures (every argument checked), as
    # openai-python does for its Default*HttpxClient.
    DefaultHttpxClient = httpx.Client
    DefaultAsyncHttpxClient = httpx.AsyncClient
else:

    class DefaultHttpxClient(_SDKDefaults, httpx.Client):
        """An httpx.Client with the SDK's defaults; takes every httpx.Client argument.

        Direct connections get the SDK's pool; proxied ones, and a `transport=`
        you pass, keep their own. The SDK does not close a client you pass.
        """

    class DefaultAsyncHttpxClient(_SDKDefaults, httpx.AsyncClient):
        """An httpx.AsyncClient with the SDK's defaults; takes every httpx.AsyncClient argument.

        Direct connections get the SDK's pool; proxied ones, and a `transport=`
        you pass, keep their own. The SDK does not close a client you pass.
        """
