"""The httpx2 clients the SDK makes, for `http_client=` when you need your own.

    from users_sdk import DefaultHttpx2Client, UsersClient

    client = UsersClient(http_client=DefaultHttpx2Client(proxy="http://proxy.internal:3128"))

A plain `httpx2.Client` works too; these add the SDK's defaults (its connection
limits, and `verify=` checked as the SDK's own clients check it).
`DefaultHttpxClient` and `DefaultAsyncHttpxClient` are the same classes under
their earlier names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx2

from ._config import tls_verify

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DefaultAsyncHttpx2Client",
    "DefaultAsyncHttpxClient",
    "DefaultHttpx2Client",
    "DefaultHttpxClient",
]

DEFAULT_CONNECTION_LIMITS = httpx2.Limits(max_connections=100, max_keepalive_connections=20)


class _SDKDefaults:
    """What both Default*Httpx2Client add to httpx2's client (mixed in before it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
        if "verify" in kwargs:
            # Checked and loaded as the SDK's own clients do: a bad value is a
            # ConfigurationError, and a CA bundle path becomes an SSLContext
            # (httpx2 deprecates verify=<str> with a warning).
            kwargs["verify"] = tls_verify(kwargs["verify"])
        super().__init__(**kwargs)


if TYPE_CHECKING:
    # Type checkers see httpx2's own signatures (every argument checked), as
    # openai-python does for its Default*HttpxClient.
    DefaultHttpx2Client = httpx2.Client
    DefaultAsyncHttpx2Client = httpx2.AsyncClient
else:

    class DefaultHttpx2Client(_SDKDefaults, httpx2.Client):
        """An httpx2.Client with the SDK's defaults; takes every httpx2.Client argument.

        The SDK does not close a client you pass.
        """

    class DefaultAsyncHttpx2Client(_SDKDefaults, httpx2.AsyncClient):
        """An httpx2.AsyncClient with the SDK's defaults; takes every httpx2.AsyncClient argument.

        The SDK does not close a client you pass.
        """


# The names of users-sdk 0.1 (they have always built the SDK's own client).
DefaultHttpxClient = DefaultHttpx2Client
DefaultAsyncHttpxClient = DefaultAsyncHttpx2Client
