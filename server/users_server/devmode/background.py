"""Run the server in a background thread, on a real loopback socket.

For tests, `make record` and `make demo`: real HTTP exchanges, so that
cassettes record what a client would really see.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import cast

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http import h11_impl

from ..app import create_app
from ..http.unimplemented import unimplemented_operations
from ..settings import Settings
from ..spec import Operation
from ..state import ServerState

_START_TIMEOUT = 10.0


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind (and listen) before serving, so that port 0 can be reported as the port it became."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP, not the default 0: asyncio only sets TCP_NODELAY on
    # connections of such a socket, and without it every keep-alive response waits
    # ~40 ms (Nagle's algorithm against the client's delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listening now, not when uvicorn gets to it: connections made as soon as
        # the address is printed wait in the backlog instead of being refused.
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# The reason phrases of the status lines whose wording Python 3.13 changed to
# RFC 9110's (http.HTTPStatus, where uvicorn takes them from): the server says
# RFC 9110's on every Python, as its problem titles do (413), so that a recording
# made on 3.11 and one made on 3.13 are the same bytes.
RFC_9110_REASONS = {
    413: b"Content Too Large",
    414: b"URI Too Long",
    416: b"Range Not Satisfiable",
    422: b"Unprocessable Content",
}


def uvicorn_config(settings: Settings, **options: object) -> uvicorn.Config:
    # uvicorn's h11 protocol keeps one process-wide table of reason phrases; the
    # rest of it is HTTPStatus's on every supported Python.
    h11_impl.STATUS_PHRASES.update(RFC_9110_REASONS)
    return uvicorn.Config(
        create_app(settings),
        # No Date or Server header: deterministic recordings must be byte-stable.
        date_header=False,
        server_header=False,
        # h11 even where httptools is installed: one implementation writes the bytes.
        http="h11",
        lifespan="on",
        **options,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class RunningServer:
    base_url: str  # with the real port
    # The server's own state: an in-process caller (users_sdk.testing's fixture)
    # resets it directly, where an HTTP call would land in the test's cassette.
    state: ServerState
    # The operations of its spec it answers 501 (unimplemented_operations).
    unimplemented: tuple[Operation, ...] = ()


@contextmanager
def run_server(settings: Settings) -> Iterator[str]:
    """Serve `settings` until the block ends; yields the base URL (with the real port)."""
    with serve_in_thread(settings) as running:
        yield running.base_url


@contextmanager
def serve_in_thread(settings: Settings) -> Iterator[RunningServer]:
    """Serve `settings` from a background thread until the block ends."""
    sock = bind_socket(settings.host, settings.port)
    port = sock.getsockname()[1]
    try:
        config = uvicorn_config(replace(settings, port=port), log_level="warning", access_log=False)
    except BaseException:
        sock.close()
        raise
    server = uvicorn.Server(config)
    # Not the main thread: uvicorn leaves signal handling alone there.
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="users-server", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the users server did not start")
            time.sleep(0.01)
        app = cast(FastAPI, config.app)  # uvicorn_config's own create_app()
        yield RunningServer(
            base_url(settings.host, port), app.state.server, unimplemented_operations(app)
        )
    finally:
        server.should_exit = True
        thread.join(timeout=_START_TIMEOUT)
        sock.close()
