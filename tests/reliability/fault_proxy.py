"""A fault-injecting HTTP/1.1 proxy on loopback, between the SDK and a real server.

    with FaultProxy(upstream="http://127.0.0.1:8000", rate=0.2, seed=7) as proxy:
        client = UsersClient(base_url=proxy.base_url, ...)

Each request the client sends gets, with probability `rate` (drawn from a
seeded RNG, so a run is reproducible), one of these faults instead of a clean
pass-through:

* `drop_before`  the connection is closed after the request is read, before it
  reaches the server: nothing happened.
* `drop_after`   the request is forwarded, the server's whole answer is read,
  then the client's connection is closed without a byte: the effect happened
  and the client cannot know it.
* `status_503`   a 503 from "a load balancer" (an HTML page), never forwarded.
* `status_429`   a 429 with `Retry-After: 0` (problem+json), never forwarded.
* `delay`        forwarded and answered by the server, but the answer is held
  for longer than the client's timeout, then the connection is closed.

Faults never reorder effects: whatever the server does for an attempt is done
before the client can see that attempt fail (the proxy reads the server's
answer before dropping or delaying it). `quiesce()` waits until no request is
being forwarded, for a test that wants to look at the server's state.

The proxy runs its own asyncio loop in a daemon thread; it speaks just enough
HTTP/1.1 for httpx2 (Content-Length bodies, keep-alive towards the client, one
upstream connection per request).
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from collections.abc import Mapping
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

KINDS = ("drop_before", "drop_after", "status_503", "status_429", "delay")

_CANNED_503 = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/html\r\n"
    b"Content-Length: 58\r\n"
    b"\r\n"
    b"<html><body><h1>503 Service Unavailable</h1></body></html>"
)
_PROBLEM_429 = (
    b'{"type":"about:blank","title":"Too Many Requests","status":429,'
    b'"detail":"Slow down (injected by the fault proxy)."}'
)
_CANNED_429 = (
    b"HTTP/1.1 429 Too Many Requests\r\n"
    b"Content-Type: application/problem+json\r\n"
    b"Retry-After: 0\r\n" + f"Content-Length: {len(_PROBLEM_429)}\r\n\r\n".encode() + _PROBLEM_429
)


class _Request:
    __slots__ = ("body", "headers", "line")

    def __init__(self, line: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.line = line
        self.headers = headers
        self.body = body


class FaultProxy:
    def __init__(
        self,
        upstream: str,
        *,
        rate: float,
        seed: int,
        delay: float = 1.0,
        weights: Mapping[str, float] | None = None,
    ) -> None:
        url = urlsplit(upstream)
        if not url.hostname or not url.port:
            raise ValueError(f"upstream {upstream!r} needs a host and a port")
        self.upstream_host = url.hostname
        self.upstream_port = url.port
        self.rate = rate
        self.delay = delay
        self.weights = [float((weights or {}).get(kind, 1.0)) for kind in KINDS]
        self.enabled = True
        self.requests = 0
        self.forwarded = 0
        # Answers the server marked `Idempotent-Replayed: true`: retries it recognised.
        self.replayed = 0
        self.faults: Counter[str] = Counter(dict.fromkeys(KINDS, 0))
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- life cycle --------------------------------------------------------------

    def __enter__(self) -> Self:
        started = threading.Event()

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
            self.base_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
            started.set()
            await self._stop.wait()
            server.close()
            # asyncio.run() then cancels the connections still open and closes the loop
            # (not server.wait_closed(): since 3.12 it waits for every connection).

        self._thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the fault proxy did not start")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._loop is not None
        assert self._thread is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def quiesce(self, timeout: float = 10.0) -> None:
        """Wait until no request is on its way to the server or back."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._in_flight == 0, timeout):
                raise RuntimeError("requests still in flight through the fault proxy")

    def summary(self) -> dict[str, int]:
        with self._lock:
            return {"requests": self.requests, "forwarded": self.forwarded, **self.faults}

    # -- one client connection ---------------------------------------------------

    def _choose(self) -> str | None:
        with self._lock:
            self.requests += 1
            if not self.enabled or self._rng.random() >= self.rate:
                return None
            kind = self._rng.choices(KINDS, self.weights)[0]
            self.faults[kind] += 1
            return kind

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                kind = self._choose()
                if kind == "drop_before":
                    return
                if kind == "status_503":
                    writer.write(_CANNED_503)
                    await writer.drain()
                    continue
                if kind == "status_429":
                    writer.write(_CANNED_429)
                    await writer.drain()
                    continue
                response = await self._forward(request)
                if kind == "drop_after":
                    return
                if kind == "delay":
                    await asyncio.sleep(self.delay)
                    return
                writer.write(response)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        finally:
            writer.close()

    async def _forward(self, request: _Request) -> bytes:
        with self._lock:
            self._in_flight += 1
            self.forwarded += 1
        try:
            reader, writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
            try:
                head = [request.line]
                head += [
                    name + b": " + value
                    for name, value in request.headers
                    if name.lower() != b"connection"
                ]
                head.append(b"Connection: close")
                writer.write(b"\r\n".join(head) + b"\r\n\r\n" + request.body)
                await writer.drain()
                raw = await reader.read()  # until the server closes: one exchange
            finally:
                writer.close()
            head = raw.partition(b"\r\n\r\n")[0].lower()
            if b"\r\nidempotent-replayed: true" in head:
                with self._lock:
                    self.replayed += 1
            return _keep_alive(raw)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None  # the client closed its keep-alive connection
    line, *lines = head[:-4].split(b"\r\n")
    headers = []
    length = 0
    for raw in lines:
        name, _, value = raw.partition(b":")
        headers.append((name.strip(), value.strip()))
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return _Request(line, headers, body)


def _keep_alive(raw: bytes) -> bytes:
    """The server's answer without its `Connection: close`, for a keep-alive client."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body
