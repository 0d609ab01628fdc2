"""Let `users_api_server`'s own address through pytest-recording's --block-network.

--block-network replaces socket.connect with a guard while a test runs. The
reference server listens on loopback in the test's own process, so the
fixture allows exactly its (host, port) for as long as the test holds it, and
leaves every other address to the guard.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["allowed"]

# Captured when pytest loads the plugin, before any test installs a guard.
_REAL_CONNECT = socket.socket.connect
_REAL_CONNECT_EX = socket.socket.connect_ex


def _letting_through(
    real: Callable[..., Any], guard: Callable[..., Any], host: str, port: int
) -> Callable[..., Any]:
    def connect(self: socket.socket, address: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(address, tuple) and tuple(address[:2]) == (host, port):
            return real(self, address, *args, **kwargs)
        return guard(self, address, *args, **kwargs)

    return connect


@contextmanager
def allowed(host: str, port: int) -> Iterator[None]:
    """While the block runs, connecting to (host, port) bypasses a network guard."""
    guard, guard_ex = socket.socket.connect, socket.socket.connect_ex
    if guard is _REAL_CONNECT:  # nothing blocks the network
        yield
        return
    socket.socket.connect = _letting_through(_REAL_CONNECT, guard, host, port)  # type: ignore[method-assign]
    socket.socket.connect_ex = _letting_through(_REAL_CONNECT_EX, guard_ex, host, port)  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = guard, guard_ex  # type: ignore[method-assign]
