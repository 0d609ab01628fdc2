"""The reference server as a recording target: users_sdk.testing's `users_api_server`.

It runs in the test process (a thread, a real loopback socket on a free port),
in deterministic mode (counting ids, a stepping clock) and test mode (so that
`reset()` can give each test a fresh database). Recording against it needs no
live API and no environment variable, and records the same bytes every time.
Installed with `pip install "users-sdk[testing,server]"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from .._exceptions import ConfigurationError
from ..openapi import spec_path

__all__ = ["UsersApiServer", "running_server", "server_available"]

_MISSING = (
    "the users_api_server fixture needs the reference server: "
    "pip install 'users-sdk[testing,server]'"
)


class UsersApiServer:
    """A running reference server: where it listens and a credential it accepts."""

    host: str
    port: int

    def __init__(self, base_url: str, token: str, api_key: str, state: Any) -> None:
        self.base_url = base_url
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token
        self.api_key = api_key
        # In-process, not over HTTP: VCR would record a reset into the test's cassette.
        self._state = state
        self.fresh_for: Any = None  # what the database was last reset for (a test or module)

    def __repr__(self) -> str:
        # The credentials stay out of a repr (test reports print fixtures' reprs).
        return f"UsersApiServer(base_url={self.base_url!r})"

    def reset(self) -> None:
        """An empty database again: only the seeded users, every counter at zero.

        Examples:
            ```python
            from users_sdk import UsersClient


            def test_reset(users_api_server):
                server = users_api_server
                with UsersClient(base_url=server.base_url, token=server.token) as c:
                    c.users.create(email="temp@example.com")
                    server.reset()
                    assert len(c.users.list().items) == 2  # the two seeded users
            ```
        """
        self._state.reset()


def server_available() -> bool:
    try:
        from users_server import missing_requirements
    except ImportError:
        return False
    # users_server itself imports without the [server] extra; its dependencies may not.
    return not missing_requirements()


@contextmanager
def running_server() -> Iterator[UsersApiServer]:
    """Start the reference server on 127.0.0.1 (a free port) until the block ends."""
    try:
        from users_server import Settings, serve_in_thread
    except ImportError as error:
        raise ConfigurationError(f"{_MISSING} ({error})") from None
    # The spec installed with this SDK, handed over: the server never imports the SDK.
    settings = Settings(
        host="127.0.0.1", port=0, deterministic=True, test_mode=True, spec=spec_path()
    )
    with serve_in_thread(settings) as running:
        yield UsersApiServer(
            running.base_url, settings.owner_token, settings.owner_api_key, running.state
        )


# Its public home: what repr(), help() and the API snapshot show.
UsersApiServer.__module__ = "users_sdk.testing"
